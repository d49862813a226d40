import { MessageFactory, type Actor, type DomainError, type OutgoingMessage, type Result } from '@conference/kernel';
import { FixedClock, SequentialIdGenerator } from '@conference/kernel/testing';
import { decodeMessage, type KnownMessage } from '@conference/messages';
import { InMemorySpeakerStore, type InMemorySpeakerStoreOptions } from '../testing/in-memory-speaker-store.js';
import { UnitOfWorkSpeakerQueries } from '../testing/unit-of-work-speaker-queries.js';
import { CreateSpeaker } from './create-speaker.js';
import { DeleteSpeaker } from './delete-speaker.js';
import { GetSpeaker } from './get-speaker.js';
import { GetSpeakersByIds } from './get-speakers-by-ids.js';
import { ListSpeakers } from './list-speakers.js';
import { UpdateSpeaker } from './update-speaker.js';

/** Test wiring of every use case over one in-memory store (used only by the *.test.ts files). */

const user = (n: number) => `0a5e0000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

export const actors = {
  admin: { userId: user(1), role: 'admin' },
  organizer: { userId: user(2), role: 'organizer' },
  otherOrganizer: { userId: user(3), role: 'organizer' },
  attendee: { userId: user(4), role: 'attendee' },
  otherAttendee: { userId: user(5), role: 'attendee' },
} as const satisfies Record<string, Actor>;

export const SPEAKER_ID_PREFIX = '5b0c0000-0000-4000-8000-';
export const speakerIdNo = (n: number) => `${SPEAKER_ID_PREFIX}${n.toString(16).padStart(12, '0')}`;

export function makeHarness(options: InMemorySpeakerStoreOptions = {}) {
  const store = new InMemorySpeakerStore(options);
  const clock = new FixedClock('2026-03-01T10:00:00.000Z');
  const ids = new SequentialIdGenerator(SPEAKER_ID_PREFIX);
  const messages = new MessageFactory('speaker-service', new SequentialIdGenerator('3e550000-0000-4000-8000-'), clock);
  return {
    store,
    clock,
    createSpeaker: new CreateSpeaker(store.uow, ids, clock, messages),
    updateSpeaker: new UpdateSpeaker(store.uow, clock, messages),
    deleteSpeaker: new DeleteSpeaker(store.uow, messages),
    getSpeaker: new GetSpeaker(new UnitOfWorkSpeakerQueries(store.uow)),
    listSpeakers: new ListSpeakers(store.uow),
    getSpeakersByIds: new GetSpeakersByIds(new UnitOfWorkSpeakerQueries(store.uow)),
    /** The committed outbox, each envelope checked against @conference/messages. */
    published(): KnownMessage[] {
      return store.outbox().map((message: OutgoingMessage) => {
        const decoded = decodeMessage(JSON.parse(JSON.stringify(message.envelope)));
        if (!decoded.ok) throw decoded.error;
        return decoded.value;
      });
    },
  };
}

export type Harness = ReturnType<typeof makeHarness>;

export const value = <T>(result: Result<T, DomainError>): T => {
  if (!result.ok) throw result.error;
  return result.value;
};

export const failure = (result: Result<unknown, DomainError>): DomainError => {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
};
