-- The session service's own tables (DESIGN §1: sessions, session_speakers). Speaker and event ids
-- point into other services' databases, so they carry no foreign key; only session_speakers →
-- sessions, which live in this database, does.

CREATE TABLE sessions (
  id          uuid        NOT NULL,
  -- null: a stand-alone session, in no event's programme.
  event_id    uuid,
  -- The user id (a UUID issued by the user service) of the creator.
  owner_id    uuid        NOT NULL,
  title       text        NOT NULL,
  abstract    text        NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  room        text        NOT NULL,
  -- roomKey(room) computed by the domain (NFC, trimmed, lower-cased) and stored, so room clash
  -- queries compare exactly what the domain compares instead of PostgreSQL's own lower()/trim().
  room_key    text        NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  -- Optimistic concurrency: updates and deletes name the version they read.
  version     integer     NOT NULL,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  -- Half-open [starts_at, ends_at): a session must last longer than an instant.
  CONSTRAINT sessions_ends_after_start CHECK (ends_at > starts_at),
  -- MAX_SESSION_HOURS = 24 in domain/session.ts. Adding '24 hours' (not '1 day') to a timestamptz is
  -- exact elapsed time whatever the time zone. The overlap queries also rely on this bound to
  -- limit their index range scans (see postgres-session-repository.ts).
  CONSTRAINT sessions_at_most_24_hours CHECK (ends_at <= starts_at + interval '24 hours'),
  -- The domain limits count UTF-16 code units (JS length); char_length counts code points, which is
  -- never more, so these never refuse what the domain accepted: they only stop writes that bypass it.
  CONSTRAINT sessions_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
  CONSTRAINT sessions_abstract_length CHECK (char_length(abstract) <= 5000),
  CONSTRAINT sessions_room_length CHECK (char_length(room) BETWEEN 1 AND 100),
  -- No length bound: lower-casing may lengthen a string (e.g. 'İ' → 'i̇').
  CONSTRAINT sessions_room_key_not_empty CHECK (room_key <> ''),
  CONSTRAINT sessions_version_positive CHECK (version >= 1),
  CONSTRAINT sessions_updated_after_created CHECK (updated_at >= created_at)
);

-- Keyset pages of every list, unfiltered or by time window: ORDER BY starts_at, id.
CREATE INDEX sessions_starts_at_id ON sessions (starts_at, id);
-- An event's programme (GET /api/sessions?eventId=), in page order.
CREATE INDEX sessions_event_starts_at_id ON sessions (event_id, starts_at, id) WHERE event_id IS NOT NULL;
-- Room clash checks: same event, same room key, then a range on starts_at (bounded on both sides
-- thanks to sessions_at_most_24_hours). Rooms outside an event never clash, so those rows are left out.
CREATE INDEX sessions_room_clash ON sessions (event_id, room_key, starts_at) WHERE event_id IS NOT NULL;

CREATE TABLE session_speakers (
  session_id  uuid     NOT NULL,
  speaker_id  uuid     NOT NULL,
  -- 0-based place in Session.speakerIds, whose order is kept (the first speaker is listed first).
  position    smallint NOT NULL,
  CONSTRAINT session_speakers_pkey PRIMARY KEY (session_id, speaker_id),
  CONSTRAINT session_speakers_session_fkey FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
  CONSTRAINT session_speakers_position_unique UNIQUE (session_id, position),
  -- SPEAKERS_MAX = 20 in domain/session.ts.
  CONSTRAINT session_speakers_position_range CHECK (position BETWEEN 0 AND 19)
);

-- A speaker's sessions: speaker clash checks, ?speakerId= lists and detaching a deleted speaker.
-- session_id is included so those lookups need not visit the table to find the session ids.
CREATE INDEX session_speakers_speaker ON session_speakers (speaker_id, session_id);
