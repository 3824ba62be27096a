-- Operator configuration: sites, their policy versions and API keys.
CREATE TABLE ops.sites (
  site_id     text PRIMARY KEY,
  config      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE ops.policy_versions (
  site_id      text NOT NULL REFERENCES ops.sites (site_id) ON DELETE CASCADE,
  version      text NOT NULL,
  url          text,
  substantial  boolean NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (site_id, version)
);
CREATE INDEX policy_versions_latest ON ops.policy_versions (site_id, published_at DESC);

-- Only a SHA-256 of each key is kept; the key itself is shown once.
CREATE TABLE ops.api_keys (
  key_hash    bytea PRIMARY KEY,
  key_id      text NOT NULL UNIQUE,
  role        text NOT NULL CHECK (role IN ('admin', 'marketing', 'site')),
  sites       text[] NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

CREATE TABLE ops.settings (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE ops.audit (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  target      text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}'
);

-- A banner display: proof of what was shown; nothing about the visitor.
CREATE TABLE consent.notices (
  notice_id       uuid PRIMARY KEY,
  site_id         text NOT NULL,
  policy_version  text NOT NULL,
  text_hash       text NOT NULL,
  locale          text NOT NULL,
  shown_at        timestamptz NOT NULL
);
CREATE INDEX notices_site_day ON consent.notices (site_id, shown_at);

-- The consent ledger: one append-only row per event (given, updated, withdrawn).
-- period_start is the first deposit of the validity period; expires_at = period_start + 13 months.
-- supersedes names the event this one replaced; its uniqueness makes a consent replaceable once,
-- and a superseded consent id is exactly a revoked token.
CREATE TABLE consent.events (
  consent_id      uuid PRIMARY KEY,
  seq             bigint GENERATED ALWAYS AS IDENTITY,
  site_id         text NOT NULL,
  subject_id      uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('given', 'updated', 'withdrawn')),
  notice_id       uuid,
  policy_version  text NOT NULL,
  text_hash       text NOT NULL,
  locale          text NOT NULL,
  method          text NOT NULL CHECK (method IN ('accept_all', 'reject_all', 'custom', 'gpc', 'withdraw')),
  choices         jsonb NOT NULL,
  given_at        timestamptz NOT NULL,
  period_start    timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  supersedes      uuid UNIQUE,
  request_key     text,
  ip_prefix       text,
  ua_family       text,
  gpc             boolean NOT NULL DEFAULT false,
  CHECK (expires_at > given_at)
);
CREATE INDEX events_subject ON consent.events (site_id, subject_id, seq DESC);
CREATE INDEX events_site_day ON consent.events (site_id, given_at);
CREATE UNIQUE INDEX events_request_key ON consent.events (site_id, request_key) WHERE request_key IS NOT NULL;

-- Append-only, enforced by the database and not only by the code.
CREATE FUNCTION consent.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent.events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE ON consent.events
  FOR EACH ROW EXECUTE FUNCTION consent.refuse_change();

GRANT SELECT, INSERT, UPDATE, DELETE ON ops.sites, ops.policy_versions, ops.api_keys TO cg_gateway;
GRANT SELECT, INSERT ON ops.settings, ops.audit TO cg_gateway;
GRANT SELECT, INSERT ON consent.notices, consent.events TO cg_gateway;
GRANT SELECT ON consent.notices, consent.events TO cg_stats;
