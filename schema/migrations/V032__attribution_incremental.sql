-- What each attribution build has read, so appended touchpoints and deals can be added to it
-- instead of rebuilding everything. A build reads the fact rows up to a row id; rows appended later
-- get larger row ids. The row counts tell whether any row the build read has moved (DuckDB may
-- renumber row ids when it compacts deleted rows): if fewer or more rows than were read now have a
-- row id up to the bound, the next build starts from scratch. No primary keys: one writer (the
-- build, under its lock) keeps one row per build, and DuckDB 1.4's index storage has failed under
-- concurrent rewrites (see V030).
CREATE TABLE attribution_build_input (
    build_id              VARCHAR NOT NULL,
    touch_rowid_max       BIGINT NOT NULL,    -- -1 when there were none
    touch_rows            BIGINT NOT NULL,
    conversion_rowid_max  BIGINT NOT NULL,
    conversion_rows       BIGINT NOT NULL,
    refreshed             VARCHAR NOT NULL CHECK (refreshed IN ('FULL', 'INCREMENTAL')),  -- how the build last changed
    changed_conversions   BIGINT NOT NULL     -- conversions whose credits that change recomputed
);

-- The first-order Markov transition counts of each build (see markov_transitions.sql), kept so an
-- incremental build can adjust them by the journeys that changed and solve the chain again.
CREATE TABLE attribution_markov_transition (
    build_id        VARCHAR NOT NULL,
    from_channel    VARCHAR,              -- NULL: START
    to_channel      VARCHAR,              -- NULL: the absorbing state named by outcome
    outcome         VARCHAR,
    transitions     BIGINT NOT NULL
);
