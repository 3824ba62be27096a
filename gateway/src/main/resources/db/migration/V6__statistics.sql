-- Statistics (issue 10): terminal events partitioned by month so retention drops whole months; rollups in
-- the stats schema, which holds counts only (nothing joins them to a subject, an account or a visitor hash);
-- a rollup role that reads raw data and writes rollups; the stats role, which serves the API, reads only stats.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cg_rollup') THEN
    CREATE ROLE cg_rollup NOLOGIN;    -- builds rollups from raw terminal and consent data; drops expired months
  END IF;
END
$$;
GRANT cg_rollup TO CURRENT_USER;

-- The API's role reads the stats schema and nothing else.
REVOKE ALL ON consent.notices, consent.events FROM cg_stats;
REVOKE ALL ON terminal.events FROM cg_stats;
REVOKE USAGE ON SCHEMA terminal, consent FROM cg_stats;
GRANT USAGE ON SCHEMA stats TO cg_stats;
GRANT USAGE ON SCHEMA stats, terminal, consent TO cg_rollup;
GRANT SELECT ON consent.notices, consent.events TO cg_rollup;

-- terminal.events, partitioned by the UTC month of arrival. The event id stays the key within a month (a beacon
-- retried across a month boundary, within seconds of midnight UTC on the last day, may be stored twice).
ALTER TABLE terminal.events RENAME TO events_unpartitioned;
ALTER INDEX terminal.terminal_events_site_time RENAME TO events_unpartitioned_site_time;
ALTER TABLE terminal.events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey;

CREATE TABLE terminal.events (
  site_id        text NOT NULL,
  event_id       uuid NOT NULL,
  month          date NOT NULL,        -- first day of the UTC month of received_at: the partition key
  received_at    timestamptz NOT NULL,
  type           text NOT NULL CHECK (type IN ('pageview', 'event')),
  name           text,
  page           text NOT NULL,        -- origin + screened path; query and fragment are never kept
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
  PRIMARY KEY (site_id, event_id, month)
) PARTITION BY RANGE (month);
CREATE INDEX terminal_events_site_time ON terminal.events (site_id, received_at);
-- a month nobody created yet still takes beacons; the next partition creation moves them out
CREATE TABLE terminal.events_default PARTITION OF terminal.events DEFAULT;

-- Creating and dropping partitions needs the table's owner: two audited doors, for the rollup role only.
CREATE FUNCTION terminal.ensure_partition(p_month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, terminal AS $$
DECLARE
  part text := 'events_' || to_char(p_month, 'YYYY_MM');
BEGIN
  IF p_month <> date_trunc('month', p_month)::date THEN
    RAISE EXCEPTION 'not the first day of a month: %', p_month USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF to_regclass('terminal.' || part) IS NOT NULL THEN
    RETURN false;
  END IF;
  CREATE TEMP TABLE moved AS SELECT * FROM terminal.events_default WHERE month = p_month;
  DELETE FROM terminal.events_default WHERE month = p_month;
  EXECUTE format('CREATE TABLE terminal.%I PARTITION OF terminal.events FOR VALUES FROM (%L) TO (%L)',
    part, p_month, (p_month + interval '1 month')::date);
  INSERT INTO terminal.events SELECT * FROM moved;
  DROP TABLE moved;
  RETURN true;
END
$$;

CREATE FUNCTION terminal.drop_partition(p_month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, terminal AS $$
DECLARE
  part text := 'events_' || to_char(p_month, 'YYYY_MM');
BEGIN
  IF to_regclass('terminal.' || part) IS NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('DROP TABLE terminal.%I', part);
  RETURN true;
END
$$;

-- The months of the existing rows, this month and the next one.
DO $$
DECLARE
  m date;
BEGIN
  FOR m IN
    SELECT DISTINCT date_trunc('month', received_at AT TIME ZONE 'UTC')::date FROM terminal.events_unpartitioned
    UNION SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date
    UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month')::date
  LOOP
    PERFORM terminal.ensure_partition(m);
  END LOOP;
END
$$;

INSERT INTO terminal.events (site_id, event_id, month, received_at, type, name, page, referrer_host, props, browser,
    browser_major, os, os_major, device, mobile, country, in_eu, region, city, language, screen_w, screen_h,
    visitor_hash)
  SELECT site_id, event_id, date_trunc('month', received_at AT TIME ZONE 'UTC')::date, received_at, type, name, page,
         referrer_host, props, browser, browser_major, os, os_major, device, mobile, country, in_eu, region, city,
         language, screen_w, screen_h, visitor_hash
    FROM terminal.events_unpartitioned;
DROP TABLE terminal.events_unpartitioned;

GRANT INSERT ON terminal.events TO cg_terminal;
-- ON CONFLICT reads its arbiter columns, and only those
GRANT SELECT (site_id, event_id, month) ON terminal.events TO cg_terminal;
GRANT SELECT, DELETE ON terminal.events TO cg_rollup;
REVOKE ALL ON FUNCTION terminal.ensure_partition(date), terminal.drop_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION terminal.ensure_partition(date), terminal.drop_partition(date) TO cg_rollup;

-- Rollups: one row per site, day of the site's time zone and key. Keys seen by fewer than k distinct visitors that
-- day are not kept under their own name: they are folded into the '(other)' row of their dimension, whose
-- visitors are counted distinct over the folded keys, and `folded` says how many keys went into it.
CREATE TABLE stats.traffic_daily (
  site_id    text NOT NULL,
  dimension  text NOT NULL CHECK (dimension IN ('page', 'referrer', 'browser', 'os', 'device', 'country', 'language')),
  day        date NOT NULL,
  key        text NOT NULL,
  pageviews  bigint NOT NULL,
  visitors   bigint NOT NULL,
  folded     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, dimension, day, key)
);

CREATE TABLE stats.site_daily (
  site_id    text NOT NULL,
  day        date NOT NULL,
  pageviews  bigint NOT NULL,
  events     bigint NOT NULL,
  visitors   bigint NOT NULL,
  PRIMARY KEY (site_id, day)
);

CREATE TABLE stats.consent_daily (
  site_id      text NOT NULL,
  day          date NOT NULL,
  notices      bigint NOT NULL,
  choices      bigint NOT NULL,
  accept_all   bigint NOT NULL,
  reject_all   bigint NOT NULL,
  custom       bigint NOT NULL,
  gpc          bigint NOT NULL,
  dismiss      bigint NOT NULL,
  withdrawals  bigint NOT NULL,
  PRIMARY KEY (site_id, day)
);

CREATE TABLE stats.consent_purpose_daily (
  site_id  text NOT NULL,
  day      date NOT NULL,
  purpose  text NOT NULL,
  granted  bigint NOT NULL,
  refused  bigint NOT NULL,
  PRIMARY KEY (site_id, day, purpose)
);

-- What was rolled up, when, with which k and time zone; final once the day had ended.
CREATE TABLE stats.rollups (
  site_id       text NOT NULL,
  day           date NOT NULL,
  k             integer NOT NULL,
  time_zone     text NOT NULL,
  final         boolean NOT NULL,
  events        bigint NOT NULL,
  rolled_up_at  timestamptz NOT NULL,
  PRIMARY KEY (site_id, day)
);

GRANT SELECT ON ALL TABLES IN SCHEMA stats TO cg_stats;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA stats TO cg_rollup;
