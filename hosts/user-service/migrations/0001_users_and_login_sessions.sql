-- The user service's own tables (DESIGN §1: users, user_sessions). Constraints are named so the
-- adapters map violations to domain errors by name (src/adapters/postgres/*-repository.ts).
-- Plain SQL that runs on PostgreSQL 15 and on PGlite (PostgreSQL 18); no extensions.

CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  -- As the person typed it (trimmed); shown back unchanged.
  email         text        NOT NULL,
  -- The domain's emailKey(email), computed by the adapter: the one form uniqueness and look-ups use.
  email_key     text        NOT NULL,
  name          text        NOT NULL,
  password_hash text        NOT NULL,
  role          text        NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       integer     NOT NULL,
  CONSTRAINT users_role_check CHECK (role IN ('attendee', 'organizer', 'admin')),
  -- Lengths in code points: the domain's limits count UTF-16 units, never fewer, so a valid entity always fits.
  CONSTRAINT users_email_check CHECK (email <> '' AND char_length(email) <= 254),
  -- lower() agrees with JavaScript's toLowerCase() on ASCII whatever the locale's non-ASCII rules, so
  -- the key is checked for ASCII addresses only; for the rest the adapter's emailKey() is trusted.
  CONSTRAINT users_email_key_check CHECK (email_key <> '' AND (email_key = lower(email) OR octet_length(email) <> char_length(email))),
  CONSTRAINT users_name_check CHECK (btrim(name) <> '' AND char_length(name) <= 200),
  CONSTRAINT users_password_hash_check CHECK (password_hash <> ''),
  CONSTRAINT users_version_check CHECK (version >= 1),
  -- Case-insensitive email uniqueness, decided by the index (also between concurrent registrations),
  -- never by a read before the write.
  CONSTRAINT users_email_key_unique UNIQUE (email_key)
);
-- No CHECK (updated_at >= created_at): both come from the clock of whichever instance wrote them, and
-- a few milliseconds of skew between instances must not turn a profile change into a server error.

-- list(): keyset pagination by (created_at, id), ascending.
CREATE INDEX users_list_order ON users (created_at, id);
-- countByRole(): counts and locks (FOR UPDATE, in id order) the rows of one role.
CREATE INDEX users_role ON users (role, id);

-- Login sessions. `rotated_token_hashes` is the ordered record the domain reads back (newest last,
-- at most MAX_ROTATED_TOKEN_HASHES = 100); user_session_token_hashes below is its index.
CREATE TABLE user_sessions (
  id                   uuid        PRIMARY KEY,
  -- Same database, so a foreign key is allowed: a deleted account takes its sessions with it.
  user_id              uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at           timestamptz NOT NULL,
  last_used_at         timestamptz NOT NULL,
  expires_at           timestamptz NOT NULL,
  revoked_at           timestamptz,
  user_agent           text,
  ip                   text,
  refresh_token_hash   text        NOT NULL,
  rotated_token_hashes text[]      NOT NULL DEFAULT '{}',
  version              integer     NOT NULL,
  -- Opening and every rotation set expires_at = last_used_at + a lifetime of at least one second.
  CONSTRAINT user_sessions_expiry_check CHECK (expires_at > last_used_at),
  -- Labels are cut by the domain and absent rather than empty.
  CONSTRAINT user_sessions_user_agent_check CHECK (user_agent <> '' AND char_length(user_agent) <= 512),
  CONSTRAINT user_sessions_ip_check CHECK (ip <> '' AND char_length(ip) <= 64),
  CONSTRAINT user_sessions_refresh_token_hash_check CHECK (refresh_token_hash <> ''),
  -- The domain's "most recent 100" rule, and a current hash that is never also a rotated-out one
  -- (else findByRefreshTokenHash could not tell current from reused).
  CONSTRAINT user_sessions_rotated_token_hashes_check CHECK (
    cardinality(rotated_token_hashes) <= 100
    AND array_position(rotated_token_hashes, NULL) IS NULL
    AND refresh_token_hash <> ALL (rotated_token_hashes)
  ),
  CONSTRAINT user_sessions_version_check CHECK (version >= 1),
  CONSTRAINT user_sessions_refresh_token_hash_unique UNIQUE (refresh_token_hash)
);

-- listActiveByUser(): the user's sessions, most recently used first. A full (not partial) index,
-- because the cascade from users and the foreign key check need every session of a user.
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, last_used_at DESC, id);

-- Every refresh-token hash a session knows, current and rotated out, one row each. Its primary key
-- makes a hash belong to at most one session (the port's promise, which two separate unique
-- constraints on the current column and the array could not give: a hash current in one session
-- and rotated out in another), and makes findByRefreshTokenHash one index look-up.
CREATE TABLE user_session_token_hashes (
  token_hash text NOT NULL,
  session_id uuid NOT NULL REFERENCES user_sessions (id) ON DELETE CASCADE,
  CONSTRAINT user_session_token_hashes_pkey PRIMARY KEY (token_hash),
  CONSTRAINT user_session_token_hashes_check CHECK (token_hash <> '')
);
-- Rotation drops the hashes that fell out of the session's last 100; cascades find them here too.
CREATE INDEX user_session_token_hashes_by_session ON user_session_token_hashes (session_id);
