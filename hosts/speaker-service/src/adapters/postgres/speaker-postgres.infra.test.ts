import { expect } from 'chai';
import { sql } from 'slonik';
import { MessageFactory, RandomIdGenerator } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { inboxContract, outboxContract, type MessagingFixture } from '@conference/kernel/contracts';
import { pendingOutbox, runMigrations } from '@conference/adapters-postgres';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { CreateSpeaker, DeleteSpeaker, GetSpeaker, GetSpeakersByIds, ListSpeakers } from '@conference/speaker';
import { speakerQueriesContract, speakerRepositoryContract } from '@conference/speaker/contracts';
import { PostgresSpeakerQueries } from './postgres-speaker-queries.js';
import { speakerMigrationSets } from './migrations.js';
import { createPostgresSpeakerUnitOfWork } from './unit-of-work.js';
import { aSpeaker, speakerId, userId } from '@conference/speaker/testing';

const organizer = { userId: userId(900), role: 'organizer' } as const;

const speaker = aSpeaker;

describe('@infra PostgreSQL speaker adapters', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('speaker', await speakerMigrationSets());
  });
  after(async () => { await db?.close(); });

  const freshUow = async () => {
    await db.truncate();
    return createPostgresSpeakerUnitOfWork(db.pool);
  };
  const messagingFixture = async (): Promise<MessagingFixture> => ({ uow: await freshUow(), pending: () => pendingOutbox(db.pool) });

  describe('contracts on the real server', () => {
    speakerRepositoryContract('PostgreSQL', async () => ({ uow: await freshUow() }));
    speakerQueriesContract('PostgreSQL, on the pool without a transaction', async () => ({ uow: await freshUow(), queries: new PostgresSpeakerQueries(db.pool) }));
    outboxContract('PostgreSQL speaker unit of work', messagingFixture);
    inboxContract('PostgreSQL speaker unit of work', messagingFixture);
  });

  describe('migrations', () => {
    it('running them again changes nothing', async () => {
      const report = await runMigrations(db.pool, await speakerMigrationSets());
      expect(report.applied).to.deep.equal([]);
      expect(report.alreadyApplied).to.equal(2);
    });
  });

  describe('unit of work', () => {
    const clock = new FixedClock('2026-03-01T10:00:00.000Z');
    const messages = new MessageFactory('speaker-service', new RandomIdGenerator(), clock);
    const speakerCount = () => db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM speakers`);

    it('keeps neither the speaker nor its outbox row when the work throws', async () => {
      const uow = await freshUow();
      let thrown: unknown;
      try {
        await uow.run(async ({ speakers, outbox }) => {
          await speakers.insert(speaker(1));
          await outbox.add(messages.create('speaker.created', speakerId(1), { speakerId: speakerId(1) }));
          throw new Error('boom');
        });
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.equal('boom');
      expect(await pendingOutbox(db.pool)).to.deep.equal([]);
      expect(await speakerCount()).to.equal(0);
    });

    it('commits a created speaker with exactly one outbox row, and a refused one adds none', async () => {
      const uow = await freshUow();
      const create = new CreateSpeaker(uow, new RandomIdGenerator(), clock, messages);
      const created = await create.execute({ actor: organizer, name: 'Ada', userId: userId(1) });
      expect(created.ok).to.equal(true);
      const refused = await create.execute({ actor: organizer, name: 'Ada again', userId: userId(1) });
      expect(refused.ok ? null : refused.error.code).to.equal('SPEAKER.USER_ALREADY_LINKED');

      const pending = await pendingOutbox(db.pool);
      expect(pending.map((m) => m.envelope.type)).to.deep.equal(['speaker.created']);
      expect(pending[0]!.aggregateId).to.equal(created.ok ? created.value.id : null);
      expect(await speakerCount()).to.equal(1);
    });

    it('serves the read use cases, ids in any case and malformed ids included', async () => {
      const uow = await freshUow();
      await uow.run(async ({ speakers }) => { for (const n of [1, 2, 3]) await speakers.insert(speaker(n)); });

      const queries = new PostgresSpeakerQueries(db.pool);
      const get = await new GetSpeaker(queries).execute({ speakerId: speakerId(2).toUpperCase() });
      expect(get.ok ? get.value.id : null).to.equal(speakerId(2));
      const missing = await new GetSpeaker(queries).execute({ speakerId: 'not-a-uuid' });
      expect(missing.ok ? null : missing.error.code).to.equal('SPEAKER.NOT_FOUND');

      const batch = await new GetSpeakersByIds(queries).execute({ ids: [speakerId(3), speakerId(1).toUpperCase(), speakerId(77), speakerId(3)] });
      expect(batch.ok ? batch.value.speakers.map((s) => s.id) : null).to.deep.equal([speakerId(3), speakerId(1)]);
      expect(batch.ok ? batch.value.missingIds : null).to.deep.equal([speakerId(77)]);

      const list = new ListSpeakers(uow);
      const first = await list.execute({ limit: 2 });
      expect(first.ok ? first.value.items.map((s) => s.id) : null).to.deep.equal([speakerId(1), speakerId(2)]);
      const second = await list.execute({ limit: 2, cursor: first.ok ? first.value.nextCursor : null });
      expect(second.ok ? [second.value.items.map((s) => s.id), second.value.nextCursor] : null).to.deep.equal([[speakerId(3)], null]);
    });

    it('deletes through the use case and publishes speaker.deleted in the same transaction', async () => {
      const uow = await freshUow();
      await uow.run(({ speakers }) => speakers.insert(speaker(1, { createdBy: organizer.userId })));
      const deleted = await new DeleteSpeaker(uow, messages).execute({ actor: organizer, speakerId: speakerId(1), expectedVersion: 1 });
      expect(deleted.ok).to.equal(true);
      expect((await pendingOutbox(db.pool)).map((m) => m.envelope.type)).to.deep.equal(['speaker.deleted']);
      expect(await speakerCount()).to.equal(0);
    });
  });
});
