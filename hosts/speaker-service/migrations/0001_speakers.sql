-- Speaker profiles (DESIGN §2). The speaker service owns this table alone (§1): `user_id` and
-- `created_by` name accounts of the user service, so they carry no foreign key.

-- The shape of `links` the domain allows (README "The model"): an array of at most 10 objects with a
-- string `label` of 1..50 and a string http(s) `url` of 1..2000 characters. A function because a
-- CHECK cannot hold a subquery; IMMUTABLE because it only reads its argument. Each element is tested
-- inside CASE so a non-object never reaches an operator that fails on scalars. char_length counts
-- code points while the domain counts UTF-16 units, so every value the domain accepts passes here.
-- The URL test stops at the scheme: the domain keeps the URL as typed (`http:host` is valid there).
CREATE FUNCTION speaker_links_valid(links jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(links) <> 'array' THEN false
    WHEN jsonb_array_length(links) > 10 THEN false
    ELSE NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(links) AS link
      WHERE CASE
        WHEN jsonb_typeof(link) <> 'object' THEN true
        WHEN jsonb_typeof(link -> 'label') IS DISTINCT FROM 'string' THEN true
        WHEN jsonb_typeof(link -> 'url') IS DISTINCT FROM 'string' THEN true
        ELSE char_length(link ->> 'label') NOT BETWEEN 1 AND 50
          OR char_length(link ->> 'url') NOT BETWEEN 1 AND 2000
          OR (link ->> 'url') !~* '^https?:'
          OR (link - 'label' - 'url') <> '{}'::jsonb
      END
    )
  END
$$;

CREATE TABLE speakers (
  id          uuid        PRIMARY KEY,
  name        text        NOT NULL,
  headline    text        NOT NULL,
  bio         text        NOT NULL,
  company     text        NOT NULL,
  links       jsonb       NOT NULL,
  user_id     uuid,
  created_by  uuid        NOT NULL,
  created_at  timestamptz NOT NULL,
  -- No CHECK (updated_at >= created_at): instances stamp times from their own clocks, and a
  -- slightly slower clock on the instance that edits must not turn an edit into an error.
  updated_at  timestamptz NOT NULL,
  version     integer     NOT NULL,
  CONSTRAINT speakers_name_length     CHECK (char_length(name) BETWEEN 1 AND 200),
  CONSTRAINT speakers_headline_length CHECK (char_length(headline) <= 200),
  CONSTRAINT speakers_bio_length      CHECK (char_length(bio) <= 5000),
  CONSTRAINT speakers_company_length  CHECK (char_length(company) <= 200),
  CONSTRAINT speakers_links_valid     CHECK (speaker_links_valid(links)),
  CONSTRAINT speakers_version_positive CHECK (version >= 1)
);

-- A user account has at most one profile (README); the index, not a read before the write, decides
-- when two transactions link the same user at once. Partial: any number of profiles have no user.
-- The adapter maps a violation of this name to UserAlreadyLinkedError.
CREATE UNIQUE INDEX speakers_user_id_unique ON speakers (user_id) WHERE user_id IS NOT NULL;

-- The list order and keyset condition: (lower(name) COLLATE "C", id), the same expression on both
-- sides of the keyset condition. lower() runs under the database's LC_CTYPE (C.UTF-8 for the
-- service databases: every cased letter folds, as JS toLowerCase does); COLLATE "C" then compares
-- the lowered names byte by byte, i.e. by code point, as the in-memory adapter compares JS strings,
-- and unlike a linguistic collation it does not change when the OS's locale data is upgraded.
CREATE INDEX speakers_list_order ON speakers ((lower(name) COLLATE "C"), id);
