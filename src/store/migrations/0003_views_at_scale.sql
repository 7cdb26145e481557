-- What a filtered view of a million incidents needs to stay cheap (issue 17): the grid cell each incident
-- falls in, counted per cell for the map's overview, and indexes that match the view's filters together.
-- Safe to run again by hand as well (IF NOT EXISTS).

-- The 1/100-degree grid cell (about 1.1 by 0.8 km here): row (latitude) times 36001 plus column (longitude).
-- src/store/postgis.py turns a cell back into its centre; the map merges cells that are close on screen.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS cell integer GENERATED ALWAYS AS (
    (floor(latitude * 100)::integer + 9000) * 36001 + floor(longitude * 100)::integer + 18000
) STORED;

-- A category or municipality filter is nearly always combined with dates: one range scan per value chosen.
-- The reader bounds `date` from below as well as above (a start date is on last_date, and no incident covers
-- more days than the longest one), so last_date needs no index of its own: ANDed with the others, its bitmap
-- cost more than it saved.
DROP INDEX IF EXISTS incidents_last_date;
DROP INDEX IF EXISTS incidents_category;
DROP INDEX IF EXISTS incidents_municipality;
CREATE INDEX IF NOT EXISTS incidents_category_date ON incidents (category, date);
CREATE INDEX IF NOT EXISTS incidents_municipality_date ON incidents (municipality, date);
