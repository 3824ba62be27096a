-- Hardening (issue 8, 9): request keys bound to their request, the dismissal method, ordered policy versions,
-- and the daily visitor salt kept once per deployment.

-- An Idempotency-Key replays only the request it was first sent with: a hash of the body and of the token
-- that came with it (null for rows recorded before this migration: such keys replay nothing).
ALTER TABLE consent.events ADD COLUMN request_hash text;

-- Escape or the close button: a refusal, told apart from a click on "refuse all".
ALTER TABLE consent.events DROP CONSTRAINT events_method_check;
ALTER TABLE consent.events ADD CONSTRAINT events_method_check
  CHECK (method IN ('accept_all', 'reject_all', 'custom', 'gpc', 'dismiss', 'withdraw'));

-- Publication order, exact even within one second: a consent may name the current version or any version
-- published since the latest substantial one.
ALTER TABLE ops.policy_versions ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

-- The visitor salt of one day in one time zone, created once for the whole deployment and deleted after its
-- day (plus a short grace). Redis only caches it. Random, never derived from a lasting secret.
CREATE TABLE ops.visitor_salts (
  zone        text NOT NULL,
  day         date NOT NULL,
  salt        bytea NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (zone, day)
);
GRANT SELECT, INSERT ON ops.visitor_salts TO cg_terminal;
GRANT SELECT, DELETE ON ops.visitor_salts TO cg_gateway;
