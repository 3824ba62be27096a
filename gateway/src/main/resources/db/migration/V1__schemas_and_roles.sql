-- Schemas and database roles. Roles are cluster-wide, so they are created only when missing;
-- grants are per database. The application connects as the migrating user and switches to one
-- role per pool with SET ROLE, so the separation holds inside the running gateway too.
CREATE SCHEMA IF NOT EXISTS ops;
CREATE SCHEMA IF NOT EXISTS consent;
CREATE SCHEMA IF NOT EXISTS terminal;
CREATE SCHEMA IF NOT EXISTS identity;
CREATE SCHEMA IF NOT EXISTS stats;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cg_gateway') THEN
    CREATE ROLE cg_gateway NOLOGIN;   -- sites, keys, consent ledger
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cg_terminal') THEN
    CREATE ROLE cg_terminal NOLOGIN;  -- writes technical terminal data; never reads identity or consent
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cg_identity') THEN
    CREATE ROLE cg_identity NOLOGIN;  -- nominative data of account holders
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cg_stats') THEN
    CREATE ROLE cg_stats NOLOGIN;     -- reads terminal and consent aggregates, writes rollups
  END IF;
END
$$;

GRANT cg_gateway, cg_terminal, cg_identity, cg_stats TO CURRENT_USER;

REVOKE ALL ON SCHEMA ops, consent, terminal, identity, stats FROM PUBLIC;
GRANT USAGE ON SCHEMA ops, consent TO cg_gateway;
GRANT USAGE ON SCHEMA terminal TO cg_terminal;
GRANT USAGE ON SCHEMA identity TO cg_identity;
GRANT USAGE ON SCHEMA stats, terminal, consent TO cg_stats;
