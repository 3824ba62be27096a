-- A visitor's erasure request. The ledger is append-only for the application role, so erasure goes through
-- one audited function: it forgets every consent id of the subject as a tombstone (no subject id kept,
-- so a token naming an erased consent is still refused), deletes pending forwards, then the rows.
CREATE TABLE consent.erasures (
  consent_id  uuid PRIMARY KEY,
  erased_at   timestamptz NOT NULL
);

CREATE FUNCTION consent.erase_subject(p_site text, p_subject uuid, p_at timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, consent, ops AS $$
DECLARE
  erased integer;
BEGIN
  INSERT INTO consent.erasures (consent_id, erased_at)
    SELECT consent_id, p_at FROM consent.events WHERE site_id = p_site AND subject_id = p_subject
    ON CONFLICT DO NOTHING;
  DELETE FROM ops.outbox WHERE consent_id IN
    (SELECT consent_id FROM consent.events WHERE site_id = p_site AND subject_id = p_subject);
  DELETE FROM consent.events WHERE site_id = p_site AND subject_id = p_subject;
  GET DIAGNOSTICS erased = ROW_COUNT;
  RETURN erased;
END
$$;

REVOKE ALL ON FUNCTION consent.erase_subject(text, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION consent.erase_subject(text, uuid, timestamptz) TO cg_gateway;
GRANT SELECT ON consent.erasures TO cg_gateway;
