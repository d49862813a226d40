import type { Page } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import type { SpeakerSummary } from '../ports/speaker-directory.js';

/** The JSON shape of a session (DESIGN §3). */
export interface SessionView {
  readonly id: string;
  readonly eventId: string | null;
  readonly ownerId: string;
  readonly title: string;
  readonly abstract: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly room: string;
  readonly speakerIds: string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface SpeakerSummaryView {
  readonly id: string;
  readonly name: string;
  readonly headline: string;
  readonly company: string;
}

/** GET /api/sessions/:id: the session with its speakers; `speakers` is null when the speaker service could not answer. */
export interface SessionDetailsView extends SessionView {
  readonly speakers: SpeakerSummaryView[] | null;
}

export interface SessionPageView {
  readonly items: SessionView[];
  readonly nextCursor: string | null;
}

export const toView = (session: Session): SessionView => ({
  id: session.id,
  eventId: session.eventId,
  ownerId: session.ownerId,
  title: session.title,
  abstract: session.abstract,
  startsAt: session.startsAt.toISOString(),
  endsAt: session.endsAt.toISOString(),
  room: session.room,
  speakerIds: [...session.speakerIds],
  createdAt: session.createdAt.toISOString(),
  updatedAt: session.updatedAt.toISOString(),
  version: session.version,
});

export const toSpeakerView = (speaker: SpeakerSummary): SpeakerSummaryView => ({
  id: speaker.id,
  name: speaker.name,
  headline: speaker.headline,
  company: speaker.company,
});

export const toDetailsView = (details: { session: Session; speakers: readonly SpeakerSummary[] | null }): SessionDetailsView => ({
  ...toView(details.session),
  speakers: details.speakers === null ? null : details.speakers.map(toSpeakerView),
});

export const toPageView = (page: Page<Session>): SessionPageView => ({ items: page.items.map(toView), nextCursor: page.nextCursor });
