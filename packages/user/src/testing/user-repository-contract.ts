import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DomainError, StaleVersionError } from '@conference/kernel';
import type { User } from '../domain/user.js';
import type { UserListQuery } from '../ports/user-repository.js';
import { at, rejectionOf, type UserStoreFixture } from './contract-helpers.js';

let serial = 0;
function aUser(overrides: Partial<User> = {}): User {
  serial += 1;
  return {
    id: randomUUID(),
    email: `person${serial}@example.org`,
    name: `Person ${serial}`,
    passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$${serial}`,
    role: 'attendee',
    createdAt: at(serial),
    updatedAt: at(serial),
    version: 1,
    ...overrides,
  };
}

/**
 * Every UserRepository adapter must pass this (keyv-style: the same cases against the in-memory
 * store and against PostgreSQL). Uses only the port; ids are real UUIDs, times have millisecond precision.
 */
export function userRepositoryContract(name: string, makeFixture: () => Promise<UserStoreFixture>): void {
  describe(`UserRepository contract: ${name}`, () => {
    let fixture: UserStoreFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const insert = (...users: User[]) => fixture.uow.run(async ({ users: repo }) => { for (const user of users) await repo.insert(user); });
    const byId = (id: string) => fixture.uow.run(({ users }) => users.findById(id));
    const byEmail = (email: string) => fixture.uow.run(({ users }) => users.findByEmail(email));

    describe('insert and find', () => {
      it('round-trips every field, by id and by email', async () => {
        const user = aUser({ email: 'Ada.Lovelace@Example.org', name: 'Ada Lovelace', role: 'organizer', createdAt: at(1), updatedAt: at(90), version: 3 });
        await insert(user);
        expect(await byId(user.id)).to.deep.equal(user);
        expect(await byEmail('Ada.Lovelace@Example.org')).to.deep.equal(user);
      });

      it('keeps every role', async () => {
        const users = (['attendee', 'organizer', 'admin'] as const).map((role) => aUser({ role }));
        await insert(...users);
        for (const user of users) expect((await byId(user.id))?.role).to.equal(user.role);
      });

      it('finds by email whatever the case, and keeps the address as it was given', async () => {
        const user = aUser({ email: 'Grace.Hopper@Navy.MIL' });
        await insert(user);
        for (const variant of ['grace.hopper@navy.mil', 'GRACE.HOPPER@NAVY.MIL', 'gRaCe.HoPpEr@nAvY.mIl']) {
          expect((await byEmail(variant))?.id).to.equal(user.id);
        }
        expect((await byEmail('grace.hopper@navy.mil'))?.email).to.equal('Grace.Hopper@Navy.MIL');
      });

      it('answers null for an id or email nobody has', async () => {
        await insert(aUser({ email: 'someone@example.org' }));
        expect(await byId(randomUUID())).to.equal(null);
        expect(await byEmail('nobody@example.org')).to.equal(null);
        expect(await byEmail('someone@example.org.evil')).to.equal(null);
      });

      it('refuses a second account for the same email in another case with USER.EMAIL_TAKEN, keeping the first', async () => {
        const first = aUser({ email: 'linus@example.org' });
        await insert(first);
        const second = aUser({ email: 'LINUS@Example.org' });
        const error = await rejectionOf(insert(second));
        expect(error).to.be.instanceOf(DomainError);
        expect(error).to.include({ code: 'USER.EMAIL_TAKEN', kind: 'conflict' });
        expect(await byId(second.id)).to.equal(null);
        expect(await byEmail('linus@example.org')).to.deep.equal(first);
      });

      it('hands out copies: changing a returned user changes nothing stored', async () => {
        const user = aUser();
        await insert(user);
        const found = (await byId(user.id)) as { name: string } | null;
        if (found) found.name = 'Mallory';
        expect((await byId(user.id))?.name).to.equal(user.name);
      });

      it('stores nothing when the unit of work throws', async () => {
        const user = aUser();
        await rejectionOf(fixture.uow.run(async ({ users }) => {
          await users.insert(user);
          throw new Error('boom');
        }));
        expect(await byId(user.id)).to.equal(null);
        expect(await byEmail(user.email)).to.equal(null);
      });
    });

    describe('update', () => {
      it('replaces every field when the expected version is the stored one', async () => {
        const user = aUser({ role: 'attendee' });
        await insert(user);
        const changed: User = { ...user, name: 'Renamed', email: 'New.Address@example.org', role: 'admin', updatedAt: at(500), version: 2 };
        await fixture.uow.run(({ users }) => users.update(changed, 1));
        expect(await byId(user.id)).to.deep.equal(changed);
        expect((await byEmail('new.address@example.org'))?.id).to.equal(user.id);
      });

      it('frees the old address when the email changes', async () => {
        const user = aUser({ email: 'old@example.org' });
        await insert(user);
        await fixture.uow.run(({ users }) => users.update({ ...user, email: 'fresh@example.org', version: 2 }, 1));
        expect(await byEmail('old@example.org')).to.equal(null);
        const newcomer = aUser({ email: 'OLD@example.org' });
        await insert(newcomer);
        expect((await byEmail('old@example.org'))?.id).to.equal(newcomer.id);
      });

      it('lets a user change only the casing of their own email', async () => {
        const user = aUser({ email: 'case@example.org' });
        await insert(user);
        await fixture.uow.run(({ users }) => users.update({ ...user, email: 'Case@Example.org', version: 2 }, 1));
        expect((await byId(user.id))?.email).to.equal('Case@Example.org');
      });

      it('throws StaleVersionError (USER.STALE_VERSION) for a stale version and keeps the stored user', async () => {
        const user = aUser();
        await insert(user);
        await fixture.uow.run(({ users }) => users.update({ ...user, name: 'First', version: 2 }, 1));
        const error = await rejectionOf(fixture.uow.run(({ users }) => users.update({ ...user, name: 'Second', version: 2 }, 1)));
        expect(error).to.be.instanceOf(StaleVersionError);
        expect(error).to.include({ code: 'USER.STALE_VERSION', kind: 'conflict' });
        expect(await byId(user.id)).to.include({ name: 'First', version: 2 });
      });

      it('throws StaleVersionError for a user that does not exist', async () => {
        const error = await rejectionOf(fixture.uow.run(({ users }) => users.update(aUser({ version: 2 }), 1)));
        expect(error).to.be.instanceOf(StaleVersionError);
      });

      it('refuses to move a user to another user\'s email (any case) with USER.EMAIL_TAKEN', async () => {
        const taken = aUser({ email: 'taken@example.org' });
        const mover = aUser({ email: 'mover@example.org' });
        await insert(taken, mover);
        const error = await rejectionOf(fixture.uow.run(({ users }) => users.update({ ...mover, email: 'TAKEN@example.org', version: 2 }, 1)));
        expect(error).to.include({ code: 'USER.EMAIL_TAKEN', kind: 'conflict' });
        expect(await byId(mover.id)).to.deep.equal(mover);
      });

      it('keeps the old user when the unit of work throws after the update', async () => {
        const user = aUser();
        await insert(user);
        await rejectionOf(fixture.uow.run(async ({ users }) => {
          await users.update({ ...user, name: 'Never', version: 2 }, 1);
          throw new Error('boom');
        }));
        expect(await byId(user.id)).to.deep.equal(user);
      });
    });

    describe('list', () => {
      const list = (query: UserListQuery) =>
        fixture.uow.run(({ users }) => users.list(query));

      it('orders by createdAt then id, starts strictly after the key, and returns at most limit users', async () => {
        const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
        // Two share a creation instant: the id breaks the tie.
        const late = aUser({ createdAt: at(300) });
        const tieB = aUser({ id: ids[1]!, createdAt: at(200) });
        const tieA = aUser({ id: ids[0]!, createdAt: at(200) });
        const early = aUser({ createdAt: at(100) });
        await insert(late, tieB, tieA, early);
        expect((await list({ limit: 10 })).map((u) => u.id)).to.deep.equal([early.id, tieA.id, tieB.id, late.id]);
        expect((await list({ limit: 2 })).map((u) => u.id)).to.deep.equal([early.id, tieA.id]);
        expect((await list({ limit: 10, after: { createdAt: tieA.createdAt, id: tieA.id } })).map((u) => u.id)).to.deep.equal([tieB.id, late.id]);
        expect(await list({ limit: 10, after: { createdAt: late.createdAt, id: late.id } })).to.deep.equal([]);
      });

      it('walks every user exactly once page by page', async () => {
        const users = Array.from({ length: 7 }, (_, i) => aUser({ createdAt: at(1000 + (i % 3)) }));
        await insert(...users);
        const seen: string[] = [];
        let after: { createdAt: Date; id: string } | null = null;
        for (;;) {
          const page: readonly User[] = await list({ limit: 3, after });
          if (page.length === 0) break;
          seen.push(...page.map((u) => u.id));
          const last = page[page.length - 1]!;
          after = { createdAt: last.createdAt, id: last.id };
        }
        expect(seen).to.have.length(7);
        expect(new Set(seen)).to.deep.equal(new Set(users.map((u) => u.id)));
      });

      it('filters by part of the name or the email, ignoring case', async () => {
        const ada = aUser({ name: 'Ada Lovelace', email: 'ada@analytical.org' });
        const grace = aUser({ name: 'Grace Hopper', email: 'grace@navy.mil' });
        const alan = aUser({ name: 'Alan Turing', email: 'alan@LOVELACE-fans.org' });
        await insert(ada, grace, alan);
        expect((await list({ limit: 10, q: 'lovelace' })).map((u) => u.id)).to.deep.equal([ada.id, alan.id]);
        expect((await list({ limit: 10, q: 'NAVY' })).map((u) => u.id)).to.deep.equal([grace.id]);
        expect((await list({ limit: 10, q: 'nobody' }))).to.deep.equal([]);
        expect((await list({ limit: 10, q: '' })).map((u) => u.id)).to.deep.equal([ada.id, grace.id, alan.id]);
      });

      it('matches %, _ and \\ in q literally, never as wildcards', async () => {
        const percent = aUser({ name: '100% Speaker' });
        const underscore = aUser({ name: 'snake_case fan' });
        const backslash = aUser({ name: 'back\\slash' });
        const plain = aUser({ name: 'Plain Person' });
        await insert(percent, underscore, backslash, plain);
        expect((await list({ limit: 10, q: '%' })).map((u) => u.id)).to.deep.equal([percent.id]);
        expect((await list({ limit: 10, q: '_' })).map((u) => u.id)).to.deep.equal([underscore.id]);
        expect((await list({ limit: 10, q: '\\' })).map((u) => u.id)).to.deep.equal([backslash.id]);
        expect((await list({ limit: 10, q: 'P%n' }))).to.deep.equal([]);
      });

      it('combines q, after and limit', async () => {
        const matches = [aUser({ name: 'Match one', createdAt: at(2000) }), aUser({ name: 'match two', createdAt: at(2001) }), aUser({ name: 'MATCH three', createdAt: at(2002) })];
        await insert(aUser({ name: 'other', createdAt: at(1999) }), ...matches);
        const first = matches[0]!;
        const page = await list({ limit: 1, q: 'match', after: { createdAt: first.createdAt, id: first.id } });
        expect(page.map((u) => u.id)).to.deep.equal([matches[1]!.id]);
      });
    });

    describe('countByRole', () => {
      it('counts the users holding a role, and follows updates', async () => {
        const admin = aUser({ role: 'admin' });
        await insert(admin, aUser({ role: 'admin' }), aUser({ role: 'organizer' }), aUser());
        const count = () => fixture.uow.run(async ({ users }) => [await users.countByRole('admin'), await users.countByRole('organizer'), await users.countByRole('attendee')]);
        expect(await count()).to.deep.equal([2, 1, 1]);
        await fixture.uow.run(({ users }) => users.update({ ...admin, role: 'attendee', version: 2 }, 1));
        expect(await count()).to.deep.equal([1, 1, 2]);
      });

      it('is zero in an empty store', async () => {
        expect(await fixture.uow.run(({ users }) => users.countByRole('admin'))).to.equal(0);
      });
    });
  });
}
