import type { Page } from '@conference/kernel';
import type { Speaker } from '../domain/speaker.js';

/** The JSON shape of a speaker in /api/speakers responses (DESIGN §3). */
export interface SpeakerView {
  readonly id: string;
  readonly name: string;
  readonly headline: string;
  readonly bio: string;
  readonly company: string;
  readonly links: readonly { readonly label: string; readonly url: string }[];
  readonly userId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** What other services embed about a speaker (gRPC GetSpeaker / BatchGetSpeakers, session responses). */
export interface SpeakerSummary {
  readonly id: string;
  readonly name: string;
  readonly headline: string;
  readonly company: string;
}

export const toView = (speaker: Speaker): SpeakerView => ({
  id: speaker.id,
  name: speaker.name,
  headline: speaker.headline,
  bio: speaker.bio,
  company: speaker.company,
  links: speaker.links.map(({ label, url }) => ({ label, url })),
  userId: speaker.userId,
  createdBy: speaker.createdBy,
  createdAt: speaker.createdAt.toISOString(),
  updatedAt: speaker.updatedAt.toISOString(),
  version: speaker.version,
});

export const toSummary = (speaker: Speaker): SpeakerSummary => ({
  id: speaker.id,
  name: speaker.name,
  headline: speaker.headline,
  company: speaker.company,
});

export const toPageView = (page: Page<Speaker>): Page<SpeakerView> => ({
  items: page.items.map(toView),
  nextCursor: page.nextCursor,
});
