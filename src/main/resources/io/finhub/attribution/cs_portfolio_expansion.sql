-- Booked expansion of a period in three exclusive groups (credited by the method, superseded by a
-- recorded outcome, not credited), with what the credits and recorded outcomes allocate. A recorded
-- outcome naming a deal counts in the deal's period (as in cs_portfolio_outcomes.sql); one naming no
-- deal of the build counts on its own date (other_recorded).
WITH deal AS (
    SELECT b.outcome_id, b.booked_value, b.credited,
           EXISTS (SELECT 1 FROM attribution_cs_outcome o WHERE o.reference = b.outcome_id AND o.outcome_type = 'EXPANSION') AS superseded
    FROM attribution_cs_outcome_base b
    WHERE b.build_id = :build_id AND b.outcome_type = 'EXPANSION' AND b.outcome_date BETWEEN :range_from AND :range_to
)
SELECT coalesce(sum(booked_value), 0) AS booked,
       coalesce(sum(booked_value) FILTER (WHERE credited AND NOT superseded), 0) AS credited,
       coalesce(sum(booked_value) FILTER (WHERE superseded), 0) AS superseded,
       coalesce(sum(booked_value) FILTER (WHERE NOT credited AND NOT superseded), 0) AS uncredited,
       (SELECT coalesce(sum(o.amount_reporting), 0) FROM attribution_cs_outcome o
         WHERE o.outcome_type = 'EXPANSION' AND o.reporting_currency = :reporting_currency
           AND o.reference IN (SELECT outcome_id FROM deal WHERE superseded)) AS superseded_recorded,
       (SELECT coalesce(sum(o.amount_reporting), 0) FROM attribution_cs_outcome o
         WHERE o.outcome_type = 'EXPANSION' AND o.reporting_currency = :reporting_currency
           AND o.outcome_date BETWEEN :range_from AND :range_to
           AND NOT EXISTS (SELECT 1 FROM attribution_cs_outcome_base b
                            WHERE b.build_id = :build_id AND b.outcome_type = 'EXPANSION' AND b.outcome_id = o.reference)) AS other_recorded,
       (SELECT coalesce(sum(c.attributed_amount), 0) FROM attribution_cs_credit c
         WHERE c.build_id = :build_id AND c.outcome_type = 'EXPANSION'
           AND c.outcome_id IN (SELECT outcome_id FROM deal WHERE credited AND NOT superseded)) AS credited_allocated
FROM deal
