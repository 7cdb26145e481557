-- What a Map page view of a million incidents still scanned for (issue 17).
-- Safe to run again by hand as well (IF NOT EXISTS, DROP … IF EXISTS).

-- The free-text filter through an index: a search for a word a few thousand of a million incidents hold
-- scanned every row's search text (0.3-0.45 s); a trigram index finds them in about 0.02 s. A word that also
-- names places finds their incidents through the place index (incident_place_texts gives the places).
-- A bulk import drops the trigram index with the others but builds it again after its commit, in a
-- transaction of its own (about 45 s at a million incidents): its definition waits in pending_indexes
-- meanwhile, so an import stopped in between leaves it for the next one to build (src/store/importer.py).
CREATE INDEX IF NOT EXISTS incidents_search ON incidents USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS incidents_place ON incidents (place);
CREATE TABLE IF NOT EXISTS pending_indexes (definition text PRIMARY KEY);

-- The date, category and municipality indexes carry the grid cell and the last day, so that the cells of a
-- view filtered by them alone (a start date tests last_date) are counted from the index, once the import's
-- VACUUM has marked the table's pages all-visible: a category's cells took 0.24-0.6 s by scanning the table,
-- 0.02-0.04 s this way.
DROP INDEX IF EXISTS incidents_date;
DROP INDEX IF EXISTS incidents_category_date;
DROP INDEX IF EXISTS incidents_municipality_date;
CREATE INDEX IF NOT EXISTS incidents_date_cell ON incidents (date) INCLUDE (last_date, cell);
CREATE INDEX IF NOT EXISTS incidents_category_date_cell ON incidents (category, date) INCLUDE (last_date, cell);
CREATE INDEX IF NOT EXISTS incidents_municipality_date_cell ON incidents (municipality, date)
    INCLUDE (last_date, cell);
