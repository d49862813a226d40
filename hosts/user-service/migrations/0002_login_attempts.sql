-- Failed logins per throttle key (`account:<email key>`, `address:<ip>`), shared by every instance
-- of the user service so guesses cannot be spread over instances (src/adapters/postgres/
-- postgres-login-throttle.ts). One row per key: the fixed window that opened with the first
-- failure, and how many failures it holds. A successful login deletes its account's row.

CREATE TABLE login_attempts (
  key          text        PRIMARY KEY,
  window_start timestamptz NOT NULL,
  failures     integer     NOT NULL,
  CONSTRAINT login_attempts_key_check CHECK (key <> ''),
  CONSTRAINT login_attempts_failures_check CHECK (failures >= 1)
);

-- Purging rows whose window ended long ago (keys an attacker sprayed once) scans by age.
CREATE INDEX login_attempts_window_start ON login_attempts (window_start);
