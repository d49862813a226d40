import type { DatabasePool } from 'slonik';
import { MessageFactory, RandomIdGenerator, type Clock, type UnitOfWork } from '@conference/kernel';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import type { EventScope } from '@conference/event';
import { eventMigrationSets } from './migrations.js';
import { createPostgresEventUnitOfWork } from './unit-of-work.js';

/** What one event-service process brings to a use case: its own pool's unit of work and message factory. */
export interface EventServiceInstance {
  readonly uow: UnitOfWork<EventScope>;
  readonly messages: MessageFactory;
}

export interface EventServiceInstancesOptions<I> {
  /** Prefix of the fresh database's name. */
  readonly database: string;
  readonly count: number;
  /** Connections per instance. */
  readonly poolSize: number;
  readonly clock: Clock;
  /** The use cases each instance runs. */
  readonly build: (instance: EventServiceInstance) => I;
}

/**
 * For concurrency tests: a fresh event database and `count` instances on it, each with its own pool,
 * unit of work and use cases, as separate processes would be. Registers the describe block's
 * before/after hooks; read `db` and `instances` inside the tests.
 */
export function eventServiceInstances<I>(options: EventServiceInstancesOptions<I>): { readonly db: TestDatabase; readonly instances: readonly I[] } {
  let db: TestDatabase | undefined;
  let instances: I[] = [];
  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase(options.database, await eventMigrationSets());
    const pools: DatabasePool[] = [];
    for (let i = 0; i < options.count; i++) pools.push(await db.newPool(options.poolSize));
    instances = pools.map((pool) => options.build({
      uow: createPostgresEventUnitOfWork(pool),
      messages: new MessageFactory('event', new RandomIdGenerator(), options.clock),
    }));
  });
  after(async () => {
    await db?.close();
  });
  return {
    get db(): TestDatabase {
      if (!db) throw new Error('the test database exists only once the before hook has run');
      return db;
    },
    get instances(): readonly I[] {
      return instances;
    },
  };
}
