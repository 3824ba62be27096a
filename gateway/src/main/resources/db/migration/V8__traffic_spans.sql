-- Traffic over many days without reading every day (issue 10, "fast at 10 million events"): the daily traffic
-- rows summed over aligned spans of 2, 4, 8, 16, 32 and 64 days (a span starts on a day whose number since
-- 1970-01-01 is a multiple of its length), rebuilt from stats.traffic_daily with every day they contain. A range
-- is answered from the largest spans that fit in it and the days left at its ends, so a month reads about ten
-- sets of keys instead of thirty. The k-anonymity rule is applied when a span is built, day by day exactly as the
-- query over days applies it: pageviews and visitors are the sums over the days at or above k (null when none
-- was), "below" counts the days a key was under k. A span serves only while its k is the site's k.
-- One row per span and dimension, its keys and figures as parallel arrays: a span is rewritten whole by every
-- rebuild of a day it holds, and read whole, so one row each way keeps it in a few pages instead of thousands of
-- rows scattered over the table by the rewrites.
CREATE TABLE stats.traffic_spans (
  site_id    text NOT NULL,
  dimension  text NOT NULL,
  span       smallint NOT NULL CHECK (span IN (2, 4, 8, 16, 32, 64)),
  start      date NOT NULL,
  keys       text[] NOT NULL,
  pageviews  bigint[] NOT NULL,
  visitors   bigint[] NOT NULL,
  below      integer[] NOT NULL,
  folded     integer[] NOT NULL,
  PRIMARY KEY (site_id, dimension, span, start)
);

-- Which spans are built, with which k and when.
CREATE TABLE stats.span_rollups (
  site_id   text NOT NULL,
  span      smallint NOT NULL,
  start     date NOT NULL,
  k         integer NOT NULL,
  built_at  timestamptz NOT NULL,
  PRIMARY KEY (site_id, span, start)
);

GRANT SELECT ON stats.traffic_spans, stats.span_rollups TO cg_stats;
GRANT SELECT, INSERT, UPDATE, DELETE ON stats.traffic_spans, stats.span_rollups TO cg_rollup;
