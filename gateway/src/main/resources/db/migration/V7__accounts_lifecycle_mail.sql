-- Account holders (issue 11): nominative data, logins, links to consent subjects, rights requests with their
-- deadlines, the breach register and the e-mail outbox. All of it in `identity`, which only cg_identity reads;
-- nothing here is referenced from terminal data, and the consent ledger knows nothing of accounts.

DROP TABLE identity.accounts;

CREATE TABLE identity.accounts (
  site_id                 text NOT NULL,
  account_id              text NOT NULL,
  name                    text,
  email                   text NOT NULL,
  phone                   text,
  address                 jsonb,
  latitude                double precision,
  longitude               double precision,
  language                text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
  opposition              boolean NOT NULL DEFAULT false,   -- prospecting refused for every linked subject
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  last_login_at           timestamptz,
  inactivity_notified_at  timestamptz,                      -- the invitation to log in was queued
  inactivity_deadline     timestamptz,                      -- deleted then, unless a login happens first
  inactivity_reminded     integer[] NOT NULL DEFAULT '{}',  -- the reminders queued (days left) in this cycle
  PRIMARY KEY (site_id, account_id)
);
CREATE INDEX accounts_inactive ON identity.accounts ((coalesce(last_login_at, created_at)))
  WHERE inactivity_notified_at IS NULL;
CREATE INDEX accounts_deadline ON identity.accounts (inactivity_deadline) WHERE inactivity_deadline IS NOT NULL;

CREATE TABLE identity.logins (
  site_id     text NOT NULL,
  account_id  text NOT NULL,
  at          timestamptz NOT NULL,
  FOREIGN KEY (site_id, account_id) REFERENCES identity.accounts ON DELETE CASCADE
);
CREATE INDEX logins_account ON identity.logins (site_id, account_id, at);

-- A consent subject (a browser) belongs to at most one account; an account may have several.
CREATE TABLE identity.account_subjects (
  site_id     text NOT NULL,
  subject_id  uuid NOT NULL,
  account_id  text NOT NULL,
  linked_at   timestamptz NOT NULL,
  PRIMARY KEY (site_id, subject_id),
  FOREIGN KEY (site_id, account_id) REFERENCES identity.accounts ON DELETE CASCADE
);
CREATE INDEX account_subjects_account ON identity.account_subjects (site_id, account_id);

-- Rights requests (GDPR Art. 12(3)): one calendar month, one extension of up to two more with a reason.
-- After an account is erased its requests stay for accountability, without the account id.
CREATE TABLE identity.requests (
  request_id        uuid PRIMARY KEY,
  site_id           text NOT NULL,
  account_id        text,
  kind              text NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'opposition', 'portability')),
  status            text NOT NULL CHECK (status IN ('received', 'in_progress', 'done', 'refused')),
  received_at       timestamptz NOT NULL,
  due_at            timestamptz NOT NULL,
  extended          boolean NOT NULL DEFAULT false,
  extension_reason  text,
  refusal_reason    text,
  closed_at         timestamptz
);
CREATE INDEX requests_open ON identity.requests (due_at) WHERE status IN ('received', 'in_progress');
CREATE INDEX requests_account ON identity.requests (site_id, account_id);

-- The breach register (GDPR Art. 33) and who was told (Art. 34).
CREATE TABLE identity.incidents (
  incident_id           uuid PRIMARY KEY,
  nature                text NOT NULL,
  categories            text[] NOT NULL,
  approx_people         bigint NOT NULL,
  approx_records        bigint NOT NULL,
  consequences          text NOT NULL,
  measures              text NOT NULL,
  contact               text NOT NULL,
  risk                  text NOT NULL CHECK (risk IN ('low', 'high')),
  sites                 text[] NOT NULL,
  discovered_at         timestamptz NOT NULL,
  recorded_at           timestamptz NOT NULL,
  authority_notified_at timestamptz
);

CREATE TABLE identity.incident_accounts (
  incident_id  uuid NOT NULL REFERENCES identity.incidents ON DELETE CASCADE,
  site_id      text NOT NULL,
  account_id   text NOT NULL,
  queued_at    timestamptz NOT NULL,
  notified_at  timestamptz,
  PRIMARY KEY (incident_id, site_id, account_id)
);

-- E-mail outbox: queued in the same transaction as the change that causes it, sent at most once per key
-- (kind, site, account, occasion). Once sent, the address and the text are forgotten; kind and time remain.
CREATE TABLE identity.mail (
  mail_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedupe_key   text NOT NULL UNIQUE,
  site_id      text NOT NULL,
  account_id   text NOT NULL,
  kind         text NOT NULL,
  language     text NOT NULL,
  to_address   text,
  subject      text,
  body_text    text,
  body_html    text,
  created_at   timestamptz NOT NULL,
  next_at      timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  last_error   text,
  sent_at      timestamptz
);
CREATE INDEX mail_due ON identity.mail (next_at) WHERE status = 'pending';
CREATE INDEX mail_account ON identity.mail (site_id, account_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA identity TO cg_identity;
