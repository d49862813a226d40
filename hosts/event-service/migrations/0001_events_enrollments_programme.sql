-- The event service's own tables (DESIGN §1: events, user_events, event_sessions) and the session
-- watermarks beside the programme. Constraints are named so violations can be told apart by name
-- (src/adapters/postgres/*-repository.ts). Plain SQL that runs on PostgreSQL 15 and on PGlite
-- (PostgreSQL 18); no extensions.

CREATE TABLE events (
  id            uuid        PRIMARY KEY,
  -- A user of the user service: another database, so no foreign key.
  organizer_id  uuid        NOT NULL,
  title         text        NOT NULL,
  description   text        NOT NULL,
  venue         text        NOT NULL,
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL,
  capacity      integer     NOT NULL,
  status        text        NOT NULL,
  -- Changed only under the event's row lock (SELECT ... FOR UPDATE, see EventRepository.findForUpdate).
  seats_taken   integer     NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  -- Optimistic concurrency for organizers' edits; seat changes keep it (the row lock guards them).
  version       integer     NOT NULL,
  CONSTRAINT events_status_check CHECK (status IN ('draft', 'published', 'cancelled')),
  CONSTRAINT events_times_check CHECK (ends_at > starts_at),
  CONSTRAINT events_capacity_check CHECK (capacity >= 1),
  -- "Capacity is never exceeded", kept by the database too: should any path ever take a seat
  -- without the domain's check, its transaction fails instead of overbooking.
  CONSTRAINT events_seats_taken_check CHECK (seats_taken >= 0 AND seats_taken <= capacity),
  -- Lengths in code points: the domain's limits count UTF-16 units, never fewer, so a valid event
  -- always fits. btrim() strips spaces only, a subset of what the domain's trim() strips.
  CONSTRAINT events_title_check CHECK (btrim(title) <> '' AND char_length(title) <= 200),
  CONSTRAINT events_description_check CHECK (char_length(description) <= 5000),
  CONSTRAINT events_venue_check CHECK (btrim(venue) <> '' AND char_length(venue) <= 200),
  CONSTRAINT events_version_check CHECK (version >= 1)
);
-- No CHECK (updated_at >= created_at): both come from the clock of whichever instance wrote them.

-- list(): keyset by (starts_at, id), ascending, with or without filters.
CREATE INDEX events_list_order ON events (starts_at, id);
-- list() filtered by status (?status=published), still in keyset order.
CREATE INDEX events_status_order ON events (status, starts_at, id);
-- list() of one organizer's events, and drafts shown to their own organizer.
CREATE INDEX events_organizer_order ON events (organizer_id, starts_at, id);
-- titleContains (ILIKE '%...%') has no btree index to use; pg_trgm would serve it but is contrib.

-- Enrollments: one row per (event, user).
CREATE TABLE user_events (
  -- Same database, so a foreign key is allowed. RESTRICT: an event is deleted only as a draft, and
  -- DeleteEvent removes its (rejected) enrollments explicitly first (EnrollmentRepository.deleteByEvent);
  -- an enrollment must never disappear as a side effect of deleting an event.
  event_id        uuid        NOT NULL,
  -- A user of the user service: another database, so no foreign key.
  user_id         uuid        NOT NULL,
  -- Copied from user.enrolled; empty on a withdrawal marker (an unenrollment that overtook its enrollment).
  email           text        NOT NULL,
  name            text        NOT NULL,
  status          text        NOT NULL,
  -- FIFO place while waitlisted (lower = earlier); positions 1, 2, 3 ... are computed from it.
  waitlist_order  integer,
  reason          text,
  requested_at    timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  -- One enrollment per user and event: enrolling twice finds the row and changes nothing.
  CONSTRAINT user_events_pkey PRIMARY KEY (event_id, user_id),
  CONSTRAINT user_events_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE RESTRICT,
  CONSTRAINT user_events_status_check CHECK (status IN ('enrolled', 'waitlisted', 'rejected', 'cancelled')),
  CONSTRAINT user_events_waitlist_order_check CHECK ((status = 'waitlisted') = (waitlist_order IS NOT NULL) AND waitlist_order >= 1),
  CONSTRAINT user_events_reason_check CHECK (
    (status = 'rejected') = (reason IS NOT NULL)
    AND reason IN ('ENROLLMENT.EVENT_NOT_FOUND', 'ENROLLMENT.EVENT_NOT_PUBLISHED', 'ENROLLMENT.EVENT_CANCELLED', 'ENROLLMENT.EVENT_STARTED')
  )
);

-- The waitlist's order is unique among the event's waitlisted users: firstWaitlisted() and the
-- positions rely on a strict FIFO order, and promotion must never have two candidates. Also serves
-- firstWaitlisted(), nextWaitlistOrder() (max) and waitlistPosition() (count up to an order).
CREATE UNIQUE INDEX user_events_waitlist_order_unique ON user_events (event_id, waitlist_order) WHERE status = 'waitlisted';
-- listByEvent() and listActive(): keyset by (created_at, user_id) within one event.
CREATE INDEX user_events_event_order ON user_events (event_id, created_at, user_id);
-- listByUser(): keyset by (created_at, event_id) across events. (The enrolledUserId filter of
-- events.list() probes the primary key per event instead.)
CREATE INDEX user_events_user_order ON user_events (user_id, created_at, event_id);

-- The programme: a copy of the sessions an event lists (owned by the session service).
CREATE TABLE event_sessions (
  -- Same database: no programme entry outlives its event. RESTRICT, as for user_events: DeleteEvent
  -- empties the programme explicitly (ProgrammeRepository.removeEvent) before deleting the draft.
  event_id        uuid        NOT NULL,
  -- A session of the session service: another database, so no foreign key.
  session_id      uuid        NOT NULL,
  title           text        NOT NULL,
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  room            text        NOT NULL,
  -- The session's version this copy reflects; older news is ignored.
  source_version  integer     NOT NULL,
  -- true: an organizer linked an existing session; false: the session was created for this event.
  linked_manually boolean     NOT NULL,
  CONSTRAINT event_sessions_pkey PRIMARY KEY (event_id, session_id),
  CONSTRAINT event_sessions_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE RESTRICT
);
-- No CHECK on the session's times or version: the session service owns those rules, and a copy
-- refusing what the owner says would dead-letter its messages rather than fix anything.

-- findBySession() and removeSession(): every programme a session is in.
CREATE INDEX event_sessions_session ON event_sessions (session_id);
-- listByEvent(): one event's programme by (starts_at, session_id).
CREATE INDEX event_sessions_event_order ON event_sessions (event_id, starts_at, session_id);

-- The newest version seen of every session, and whether it was deleted, so out-of-order session.*
-- messages can be told apart. No foreign key: a watermark may exist for a session in no programme.
CREATE TABLE session_watermarks (
  session_id  uuid    PRIMARY KEY,
  version     integer NOT NULL,
  deleted     boolean NOT NULL
);
