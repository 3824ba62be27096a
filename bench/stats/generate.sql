-- Synthetic month of one site for bench/run-stats.sh: :n terminal events over the 30 days of November 2026 in
-- Europe/Paris (the site's time zone), with notices and consent choices in proportion. Every column the migrations
-- define is filled as the gateway fills it. psql variables: n (events), site.
--
-- Shape: each day has a pool of n / 30 / 2.5 daily visitors, picked with a skew (a few visitors make many hits);
-- the visitor hash is a SHA-256 of (day, visitor), 32 bytes like the gateway's HMAC under the daily salt, so a hash
-- never repeats across days, as with the rotating salt. Browser, OS, device, country and language belong to the
-- daily visitor (derived from it), page and referrer to the hit: pages are Zipf-like over ~5,000 paths (log-uniform
-- index: a long tail of pages seen by fewer than k visitors a day), ~50 referrer hosts, 55 % direct. Hours follow a
-- daytime peak (noon). 92 % pageviews, 8 % custom events.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET work_mem = '256MB';
SELECT terminal.ensure_partition('2026-10-01'), terminal.ensure_partition('2026-11-01'),
       terminal.ensure_partition('2026-12-01');

INSERT INTO terminal.events (site_id, event_id, month, received_at, type, name, page, referrer_host, props, browser,
    browser_major, os, os_major, device, mobile, country, in_eu, region, city, language, screen_w, screen_h,
    visitor_hash)
SELECT :'site', gen_random_uuid(), (date_trunc('month', t AT TIME ZONE 'UTC'))::date, t,
       CASE WHEN rtype < 0.92 THEN 'pageview' ELSE 'event' END,
       CASE WHEN rtype < 0.92 THEN NULL WHEN rtype < 0.97 THEN 'add_to_cart' ELSE 'signup' END,
       'https://shop.example' || CASE WHEN pg = 0 THEN '/' ELSE '/p/' || pg END,
       CASE WHEN rr < 0.55 THEN NULL
            WHEN refi < 10 THEN (ARRAY['www.google.com', 'www.google.fr', 'www.bing.com', 'www.facebook.com',
                 'l.instagram.com', 'duckduckgo.com', 't.co', 'www.qwant.com', 'www.linkedin.com', 'www.youtube.com'])
                 [refi + 1]
            ELSE 'blog' || refi || '.example' END,
       NULL, browser, bmajor, os, NULL, device, device = 'mobile', country,
       country IN ('FR', 'BE', 'DE', 'ES', 'IT', 'NL', 'PT', 'IE', 'AT', 'PL', 'SE', 'LU', 'DK', 'FI', 'GR', 'CZ'),
       NULL, NULL, language,
       CASE device WHEN 'mobile' THEN 390 WHEN 'tablet' THEN 820 ELSE 1920 END,
       CASE device WHEN 'mobile' THEN 844 WHEN 'tablet' THEN 1180 ELSE 1080 END,
       sha256(convert_to(:'site' || ':' || d || ':' || v, 'UTF8'))
  FROM (
    SELECT d, v, rtype, rr, t,
           least(floor(exp(rp * ln(5001.0)))::int - 1, 4999) AS pg,
           CASE WHEN rr < 0.55 THEN NULL ELSE least(floor(exp((rr - 0.55) / 0.45 * ln(51.0)))::int - 1, 49) END
             AS refi,
           CASE WHEN ub < 620 THEN 'Chrome' WHEN ub < 820 THEN 'Safari' WHEN ub < 890 THEN 'Firefox'
                WHEN ub < 950 THEN 'Edge' WHEN ub < 980 THEN 'Samsung Internet' WHEN ub < 995 THEN 'Opera'
                ELSE 'Other' END AS browser,
           (118 + ub % 14)::text AS bmajor,
           CASE WHEN ud < 550 THEN 'mobile' WHEN ud < 600 THEN 'tablet' ELSE 'desktop' END AS device,
           CASE WHEN ud < 550 THEN (CASE WHEN uo < 620 THEN 'Android' ELSE 'iOS' END)
                WHEN ud < 600 THEN (CASE WHEN uo < 600 THEN 'iPadOS' ELSE 'Android' END)
                ELSE (CASE WHEN uo < 700 THEN 'Windows' WHEN uo < 920 THEN 'macOS' WHEN uo < 980 THEN 'Linux'
                           ELSE 'ChromeOS' END) END AS os,
           CASE WHEN uc < 700 THEN 'FR' WHEN uc < 760 THEN 'BE' WHEN uc < 800 THEN 'CH' WHEN uc < 830 THEN 'CA'
                WHEN uc < 860 THEN 'DE' WHEN uc < 890 THEN 'US' WHEN uc < 910 THEN 'ES' WHEN uc < 930 THEN 'IT'
                WHEN uc < 950 THEN 'GB' WHEN uc < 965 THEN 'MA' WHEN uc < 975 THEN NULL
                ELSE (ARRAY['NL', 'PT', 'IE', 'AT', 'PL', 'SE', 'LU', 'DK', 'FI', 'GR', 'CZ', 'SN', 'CI', 'TN', 'DZ',
                            'JP', 'BR', 'MX', 'AU', 'IN', 'CN', 'RO', 'HU', 'NO', 'RE'])[uc - 974] END AS country,
           CASE WHEN ul < 780 THEN 'fr' WHEN ul < 900 THEN 'en' WHEN ul < 930 THEN 'de' WHEN ul < 950 THEN 'es'
                WHEN ul < 970 THEN 'it' WHEN ul < 980 THEN 'nl' WHEN ul < 990 THEN 'ar' WHEN ul < 995 THEN 'pt'
                ELSE NULL END AS language
      FROM (
        SELECT d, v, rtype, rr, rp, t,
               (abs(hashint8(d::bigint * 100000000 + v)) % 1000) AS ub,
               (abs(hashint8(d::bigint * 100000000 + v + 7777777777)) % 1000) AS ud,
               (abs(hashint8(d::bigint * 100000000 + v + 15555555555)) % 1000) AS uo,
               (abs(hashint8(d::bigint * 100000000 + v + 23333333333)) % 1000) AS uc,
               (abs(hashint8(d::bigint * 100000000 + v + 31111111111)) % 1000) AS ul
          FROM (
            SELECT g.i % 30 AS d,
                   floor(greatest(1, :n / 75) * power(random(), 1.6))::bigint AS v,
                   random() AS rtype, random() AS rr, random() AS rp,
                   (('2026-11-01'::date + (g.i % 30)::int)::timestamp AT TIME ZONE 'Europe/Paris')
                     + make_interval(secs => 86399.0 * (random() + random() + random()) / 3) AS t
              FROM generate_series(0, :n - 1) AS g(i)) a) b
    ) c
  ;

-- Banners: one per 20 hits (a visitor's first page of a period), locale from the visitor's language; 70 % lead to a
-- choice a few seconds later (accept all 55 %, refuse all 25 %, custom 10 %, dismiss 7 %, GPC 3 %), 1 % of choices
-- are withdrawn later the same day (kind withdrawn, method withdraw, superseding the choice).
INSERT INTO consent.notices (notice_id, site_id, policy_version, text_hash, locale, shown_at)
SELECT gen_random_uuid(), :'site', '2026-11', 'sha256:bench-2026-11', CASE WHEN random() < 0.8 THEN 'fr' ELSE 'en' END,
       (('2026-11-01'::date + (g.i % 30)::int)::timestamp AT TIME ZONE 'Europe/Paris')
         + make_interval(secs => 86399.0 * (random() + random() + random()) / 3)
  FROM generate_series(0, :n / 20 - 1) AS g(i);

CREATE TEMP TABLE bench_choices AS
SELECT gen_random_uuid() AS consent_id, gen_random_uuid() AS subject_id, n.notice_id, n.locale,
       least(n.shown_at + make_interval(secs => 2 + 20 * random()),
             date_trunc('day', n.shown_at AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris'
               + interval '1 day' - interval '1 ms') AS given_at,
       CASE WHEN r < 0.55 THEN 'accept_all' WHEN r < 0.80 THEN 'reject_all' WHEN r < 0.90 THEN 'custom'
            WHEN r < 0.97 THEN 'dismiss' ELSE 'gpc' END AS method, r, random() AS rc
  FROM (SELECT *, random() AS r, random() AS rk FROM consent.notices WHERE site_id = :'site') n
 WHERE n.rk < 0.70;

INSERT INTO consent.events (consent_id, site_id, subject_id, kind, notice_id, policy_version, text_hash, locale,
    method, choices, given_at, period_start, expires_at, supersedes, request_key, ip_prefix, ua_family, gpc,
    request_hash)
SELECT consent_id, :'site', subject_id, 'given', notice_id, '2026-11', 'sha256:bench-2026-11', locale, method,
       CASE method WHEN 'accept_all' THEN '{"prospecting": true, "statistics": true}'::jsonb
                   WHEN 'custom' THEN jsonb_build_object('prospecting', rc < 0.2, 'statistics', rc < 0.7)
                   ELSE '{"prospecting": false, "statistics": false}'::jsonb END,
       given_at, given_at, given_at + interval '13 months', NULL, NULL, '203.0.113.0/24', 'Chrome',
       method = 'gpc', NULL
  FROM bench_choices;

INSERT INTO consent.events (consent_id, site_id, subject_id, kind, notice_id, policy_version, text_hash, locale,
    method, choices, given_at, period_start, expires_at, supersedes, request_key, ip_prefix, ua_family, gpc,
    request_hash)
SELECT gen_random_uuid(), :'site', subject_id, 'withdrawn', NULL, '2026-11', 'sha256:bench-2026-11', locale,
       'withdraw', '{"prospecting": false, "statistics": false}'::jsonb, w, given_at, given_at + interval '13 months',
       consent_id, NULL, '203.0.113.0/24', 'Chrome', false, NULL
  FROM (SELECT *, least(given_at + interval '1 minute',
                        date_trunc('day', given_at AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris'
                          + interval '1 day' - interval '1 ms') AS w
          FROM bench_choices WHERE rc > 0.99 AND method <> 'reject_all') c;

ANALYZE terminal.events;
ANALYZE consent.notices;
ANALYZE consent.events;
