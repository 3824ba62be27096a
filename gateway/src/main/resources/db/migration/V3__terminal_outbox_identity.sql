-- Technical terminal data, kept apart from every nominative field: no column here names a subject,
-- an account, a token or a consent. Visitors are counted through visitor_hash, an HMAC of (site,
-- subject) under a salt that rotates daily and is then destroyed (it lives only in Redis).
CREATE TABLE terminal.events (
  site_id        text NOT NULL,
  event_id       uuid NOT NULL,
  received_at    timestamptz NOT NULL,
  type           text NOT NULL CHECK (type IN ('pageview', 'event')),
  name           text,
  page           text NOT NULL,        -- origin + path; query and fragment are never kept
  referrer_host  text,
  props          jsonb,
  browser        text NOT NULL,
  browser_major  text,
  os             text NOT NULL,
  os_major       text,
  device         text NOT NULL,
  mobile         boolean,
  country        text,
  in_eu          boolean,
  region         text,
  city           text,
  language       text,
  screen_w       integer,
  screen_h       integer,
  visitor_hash   bytea NOT NULL,
  PRIMARY KEY (site_id, event_id)
);
CREATE INDEX terminal_events_site_time ON terminal.events (site_id, received_at);

-- Forwarding outbox, filled in the same transaction as the event. It holds its own copy of what is
-- forwarded and its own delivery id (the receivers' idempotency key), never the terminal event id,
-- so it cannot join terminal data to the consent it names for the re-check at delivery.
CREATE TABLE ops.outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id     uuid NOT NULL UNIQUE,
  site_id         text NOT NULL,
  destination_id  text NOT NULL,
  consent_id      uuid NOT NULL,
  purposes        text[] NOT NULL,
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  next_at         timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dead')),
  last_error      text
);
CREATE INDEX outbox_due ON ops.outbox (next_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON ops.outbox (site_id, destination_id) WHERE status = 'dead';

-- Nominative data of account holders (filled by the accounts feature); only cg_identity reads it.
CREATE TABLE identity.accounts (
  site_id         text NOT NULL,
  account_id      text NOT NULL,
  data            jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  last_login_at   timestamptz,
  PRIMARY KEY (site_id, account_id)
);

GRANT USAGE ON SCHEMA ops TO cg_terminal;
GRANT INSERT ON terminal.events TO cg_terminal;
-- ON CONFLICT needs to read its arbiter columns, and only those
GRANT SELECT (site_id, event_id) ON terminal.events TO cg_terminal;
GRANT INSERT ON ops.outbox TO cg_terminal;
GRANT SELECT, UPDATE, DELETE ON ops.outbox TO cg_gateway;
GRANT SELECT ON terminal.events TO cg_stats;
GRANT DELETE ON terminal.events TO cg_stats;   -- retention purge
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.accounts TO cg_identity;
