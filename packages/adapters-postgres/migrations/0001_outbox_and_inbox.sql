-- Messages written in the same transaction as the state change they announce (DESIGN §4).
-- `position` orders them; the relay publishes unpublished rows in position order per aggregate.
CREATE TABLE outbox (
  position      bigserial   PRIMARY KEY,
  id            uuid        NOT NULL UNIQUE,
  aggregate_id  text        NOT NULL,
  type          text        NOT NULL,
  envelope      jsonb       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  attempts      integer     NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;

-- Message ids a consumer has processed; the primary key turns a redelivery into a no-op.
CREATE TABLE inbox (
  consumer      text        NOT NULL,
  message_id    text        NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
