import { MessageFactory, unwrap, type Actor, type OutgoingMessage } from '@conference/kernel';
import { FixedClock, SequentialIdGenerator } from '@conference/kernel/testing';
import type { Session } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';
import type { SpeakerSummary } from '../ports/speaker-directory.js';
import { createInMemorySessionStore } from '../testing/in-memory-session-store.js';
import { InMemorySpeakerDirectory } from '../testing/in-memory-speaker-directory.js';
import { UnitOfWorkSessionQueries } from '../testing/unit-of-work-session-queries.js';
import { AddSpeaker } from './add-speaker.js';
import { CreateSession, type CreateSessionInput } from './create-session.js';
import { DeleteSession } from './delete-session.js';
import { DetachSpeaker } from './detach-speaker.js';
import { GetSession } from './get-session.js';
import { GetSessionsByIds } from './get-sessions-by-ids.js';
import { ListSessions } from './list-sessions.js';
import { RemoveSpeaker } from './remove-speaker.js';
import { UpdateSession } from './update-session.js';
import { ValidateSession } from './validate-session.js';

/** Shared set-up of the use-case tests: in-memory store, directory, clock and ids. Not exported from the package. */

const uuid = (group: string, n: number) => `00000000-0000-4000-${group}-${n.toString(16).padStart(12, '0')}`;
export const speakerId = (n: number): string => uuid('9000', n);
export const eventId = (n: number): string => uuid('a000', n);
export const userId = (n: number): string => uuid('b000', n);

export const organizer: Actor = { userId: userId(1), role: 'organizer' };
export const otherOrganizer: Actor = { userId: userId(2), role: 'organizer' };
export const admin: Actor = { userId: userId(3), role: 'admin' };
export const attendee: Actor = { userId: userId(4), role: 'attendee' };

export const speakers: SpeakerSummary[] = [1, 2, 3, 4, 5].map((n) => ({
  id: speakerId(n),
  name: `Speaker ${n}`,
  headline: `Headline ${n}`,
  company: `Company ${n}`,
}));

/** 4 May 2026 at hh:mm UTC. */
export const at = (hhmm: string, day = '2026-05-04'): Date => new Date(`${day}T${hhmm}:00.000Z`);

export function makeTestbed(options: { decorate?: (scope: SessionScope) => SessionScope } = {}) {
  const store = createInMemorySessionStore(options.decorate);
  const clock = new FixedClock('2026-03-01T08:00:00.000Z');
  const sessionIds = new SequentialIdGenerator('5e550000-0000-4000-8000-');
  const messages = new MessageFactory('session-service', new SequentialIdGenerator('3e550000-0000-4000-8000-'), clock);
  const directory = new InMemorySpeakerDirectory(speakers);
  const uow = store.uow;
  const queries = new UnitOfWorkSessionQueries(uow);

  const useCases = {
    create: new CreateSession(uow, directory, sessionIds, clock, messages),
    update: new UpdateSession(uow, directory, clock, messages),
    remove: new DeleteSession(uow, messages),
    get: new GetSession(queries, directory),
    list: new ListSessions(uow),
    addSpeaker: new AddSpeaker(uow, directory, clock, messages),
    removeSpeaker: new RemoveSpeaker(uow, clock, messages),
    detach: new DetachSpeaker(uow, clock, messages),
    validate: new ValidateSession(queries),
    byIds: new GetSessionsByIds(queries),
  };

  const draft = (overrides: Partial<CreateSessionInput> = {}): CreateSessionInput => ({
    actor: organizer,
    eventId: eventId(1),
    title: 'Typed actors',
    abstract: 'A tour',
    startsAt: at('10:00'),
    endsAt: at('11:00'),
    room: 'Room A',
    speakerIds: [],
    ...overrides,
  });

  return {
    store,
    clock,
    directory,
    ...useCases,
    draft,
    /** Creates a session that must succeed. */
    async given(overrides: Partial<CreateSessionInput> = {}): Promise<Session> {
      return unwrap(await useCases.create.execute(draft(overrides)));
    },
    stored: (id: string) => uow.run(({ sessions }) => sessions.findById(id)),
    outbox: (): readonly OutgoingMessage[] => store.outbox(),
    types: (): string[] => store.outbox().map((m) => m.envelope.type),
  };
}

export type Testbed = ReturnType<typeof makeTestbed>;
