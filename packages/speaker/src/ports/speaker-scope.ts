import type { Outbox } from '@conference/kernel';
import type { SpeakerRepository } from './speaker-repository.js';

/** What one unit of work of the speaker context can touch; it all commits or rolls back together. */
export interface SpeakerScope {
  readonly speakers: SpeakerRepository;
  readonly outbox: Outbox;
}
