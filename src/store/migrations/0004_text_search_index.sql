-- The free-text filter through an index (issue 17): a search for a word a few thousand of a million incidents
-- hold scanned every row's search text (0.3-0.45 s); a trigram index finds them in about 0.02 s. A word that
-- also names places finds their incidents through the place index (incident_place_texts gives the places).
-- A bulk import drops the trigram index with the others, but builds it again after its commit, in a
-- transaction of its own (about 45 s at a million incidents): its definition waits in pending_indexes
-- meanwhile, so an import stopped in between leaves it for the next one to build (src/store/importer.py).
-- Safe to run again by hand as well (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS incidents_search ON incidents USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS incidents_place ON incidents (place);
CREATE TABLE IF NOT EXISTS pending_indexes (definition text PRIMARY KEY);
