-- The notifier's own database: the audit log of every message, and the record of sent emails.

-- Append-only: a row is written once when its message first arrives and never changed or removed.
-- position orders the log (and is the keyset cursor of the admin API); message_id makes a
-- redelivered or replayed message add nothing (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE audit_log (
  position       bigserial   PRIMARY KEY,
  message_id     text        NOT NULL UNIQUE,
  type           text        NOT NULL,
  source         text        NOT NULL,
  correlation_id text,
  causation_id   text,
  -- NULL when the envelope's occurredAt is not a date: the log records what came, it does not refuse it.
  occurred_at    timestamptz,
  data           jsonb       NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now()
);

-- "One request's whole chain" and "messages of a type in a period", newest first.
CREATE INDEX audit_log_correlation ON audit_log (correlation_id, position DESC) WHERE correlation_id IS NOT NULL;
CREATE INDEX audit_log_type ON audit_log (type, position DESC);
CREATE INDEX audit_log_occurred ON audit_log (occurred_at, position DESC);

-- Append-only also for the service's own role, which owns the table and so could otherwise change
-- anything: every UPDATE, DELETE or TRUNCATE fails. (ON CONFLICT DO NOTHING updates nothing, so
-- the idempotent append is unaffected.) Dropping the trigger needs a migration, which is reviewed.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- One row per email (message, recipient): 'pending' from the claim until the mail server accepted
-- it, then 'sent' for good. claimed_at is the claim's lease (NULL once given back or sent);
-- attempts counts claims, so an operator sees emails that needed more than one try.
CREATE TABLE sent_emails (
  message_id text        NOT NULL,
  recipient  text        NOT NULL CHECK (recipient = lower(recipient)),
  status     text        NOT NULL CHECK (status IN ('pending', 'sent')),
  claimed_at timestamptz,
  sent_at    timestamptz,
  attempts   integer     NOT NULL DEFAULT 1,
  PRIMARY KEY (message_id, recipient),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
