import type { MessageType, SpeakerChangedData, SpeakerDeletedData } from '@conference/messages';
import type { Speaker } from '../domain/speaker.js';

/** The routing keys this context publishes (DESIGN §4). */
export const SpeakerMessageTypes = {
  created: 'speaker.created',
  updated: 'speaker.updated',
  deleted: 'speaker.deleted',
} as const satisfies Record<string, MessageType>;

/** The payload of speaker.created and speaker.updated (@conference/messages SpeakerChanged). */
export const speakerChangedData = (speaker: Speaker): SpeakerChangedData => ({
  speakerId: speaker.id,
  name: speaker.name,
  headline: speaker.headline,
  company: speaker.company,
  userId: speaker.userId,
  version: speaker.version,
});

/** The payload of speaker.deleted (@conference/messages SpeakerDeleted). */
export const speakerDeletedData = (speaker: Speaker): SpeakerDeletedData => ({ speakerId: speaker.id });
