import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AuditEntry } from '../domain/audit.js';
import type { AuditLog } from '../ports/audit-log.js';

/**
 * What an adapter under test gives the AuditLog suite: the log as the notifier uses it, each call
 * on its own (in PostgreSQL on the pool, not a transaction connection). The log is append-only
 * (the PostgreSQL one refuses even TRUNCATE), so the store need not be empty: every case names its
 * own messages, types and correlation ids and only looks at those.
 */
export interface AuditLogFixture {
  readonly audit: AuditLog;
  close?(): Promise<void>;
}

const at = (minute: number): Date => new Date(Date.UTC(2027, 0, 10, 9, minute, 0, 123));

export function auditLogContract(name: string, makeFixture: () => Promise<AuditLogFixture>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let fixture: AuditLogFixture;
    let run: string;
    beforeEach(async () => {
      fixture = await makeFixture();
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => { await fixture.close?.(); });

    const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
      messageId: randomUUID(),
      type: `contract.${run}.happened`,
      source: 'contract-test',
      correlationId: `corr-${run}`,
      causationId: null,
      occurredAt: at(0),
      data: { n: 1, nested: { ok: true, list: [1, 'two', null] }, text: 'Grüße, 東京' },
      receivedAt: at(1),
      ...overrides,
    });
    const append = async (...entries: AuditEntry[]) => {
      const results: boolean[] = [];
      for (const e of entries) results.push(...await fixture.audit.append(e));
      return results;
    };
    const list = (query: Partial<Parameters<AuditLog['list']>[0]> = {}) =>
      fixture.audit.list({ correlationId: `corr-${run}`, limit: 100, ...query });

    it('gives back every field as appended, with a position', async () => {
      const full = entry({ causationId: randomUUID() });
      expect(await append(full)).to.deep.equal([true]);
      const [record, ...rest] = await list();
      expect(rest).to.have.length(0);
      const { position, ...stored } = record!;
      expect(stored).to.deep.equal(full);
      expect(position).to.be.a('number').and.to.be.greaterThan(0);
    });

    it('keeps null correlation, causation and occurredAt', async () => {
      const bare = entry({ correlationId: null, causationId: null, occurredAt: null, type: `contract.${run}.bare` });
      await append(bare);
      const [record] = await fixture.audit.list({ type: bare.type, limit: 10 });
      expect(record).to.deep.include({ correlationId: null, causationId: null, occurredAt: null });
    });

    it('appends a message once: a second append of its id returns false and changes nothing', async () => {
      const first = entry();
      expect(await append(first)).to.deep.equal([true]);
      expect(await append({ ...first, data: { changed: true }, receivedAt: at(30) })).to.deep.equal([false]);
      const records = await list();
      expect(records).to.have.length(1);
      expect(records[0]!.data).to.deep.equal(first.data);
      expect(records[0]!.receivedAt).to.deep.equal(first.receivedAt);
    });

    it('lists newest first, in positions that grow in append order', async () => {
      const entries = [entry(), entry(), entry()];
      await append(...entries);
      const records = await list();
      expect(records.map((r) => r.messageId)).to.deep.equal(entries.map((e) => e.messageId).reverse());
      expect(records[0]!.position).to.be.greaterThan(records[1]!.position);
      expect(records[1]!.position).to.be.greaterThan(records[2]!.position);
    });

    it('pages by position without gaps or duplicates, also when entries are appended between pages', async () => {
      const entries = Array.from({ length: 7 }, () => entry());
      await append(...entries);
      const first = await list({ limit: 3 });
      await append(entry(), entry());
      const second = await list({ limit: 3, before: first[first.length - 1]!.position });
      const third = await list({ limit: 3, before: second[second.length - 1]!.position });
      const seen = [...first, ...second, ...third].map((r) => r.messageId);
      expect(seen).to.deep.equal(entries.map((e) => e.messageId).reverse());
    });

    it('filters by type, by correlation id, and by occurredAt in [from, to)', async () => {
      const a = entry({ type: `contract.${run}.a`, occurredAt: at(0) });
      const b = entry({ type: `contract.${run}.b`, occurredAt: at(10) });
      const c = entry({ type: `contract.${run}.a`, occurredAt: at(20) });
      const other = entry({ type: `contract.${run}.a`, correlationId: `other-${run}`, occurredAt: at(10) });
      const timeless = entry({ type: `contract.${run}.a`, occurredAt: null });
      await append(a, b, c, other, timeless);
      const ids = (records: readonly { messageId: string }[]) => records.map((r) => r.messageId);
      expect(ids(await list({ type: `contract.${run}.a` }))).to.deep.equal([timeless.messageId, c.messageId, a.messageId]);
      expect(ids(await list({ correlationId: `other-${run}` }))).to.deep.equal([other.messageId]);
      expect(ids(await list({ from: at(10) }))).to.deep.equal([c.messageId, b.messageId]);
      expect(ids(await list({ to: at(10) }))).to.deep.equal([a.messageId]);
      expect(ids(await list({ from: at(0), to: at(20), type: `contract.${run}.a` }))).to.deep.equal([a.messageId]);
    });

    it('appends a burst in one call, in order, saying for each whether it went in now', async () => {
      const known = entry();
      await append(known);
      const a = entry();
      const b = entry();
      const again = { ...a, data: { second: true } };
      expect(await fixture.audit.append(a, known, b, again)).to.deep.equal([true, false, true, false]);
      const records = await list();
      expect(records.map((r) => r.messageId)).to.deep.equal([b.messageId, a.messageId, known.messageId]);
      expect(records[1]!.data).to.deep.equal(a.data);
      expect(await fixture.audit.append()).to.deep.equal([]);
    });

    it('gives exactly one of many simultaneous appends of a message id the entry (no inbox needed)', async () => {
      const first = entry();
      const copies = Array.from({ length: 8 }, (_, n) => ({ ...first, data: { copy: n }, receivedAt: at(n) }));
      const appended = (await Promise.all(copies.map((copy) => fixture.audit.append(copy)))).flat();
      expect(appended.filter(Boolean)).to.have.length(1);
      const records = await list();
      expect(records).to.have.length(1);
      const winner = copies[appended.indexOf(true)]!;
      expect(records[0]).to.deep.include({ data: winner.data, receivedAt: winner.receivedAt });
    });
  });
}
