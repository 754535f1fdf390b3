-- The columns of a renewal case after its identity: the CRM probability of an open renewal, the amount in its currency
-- and in the reporting currency (fxa: the rate on the snapshot day), and the signals from its health scores hs, utilisation u
-- and customer-success activities a, over the dated case d.
CASE WHEN NOT d.decided AND d.stage NOT IN ('CLOSED_WON', 'CLOSED_LOST') THEN CAST(d.crm_probability AS DOUBLE) END AS crm_probability,
       CAST(d.amount AS DECIMAL(18, 2)) AS amount, d.currency_code,
       CAST({amount_reporting} AS DECIMAL(18, 2)) AS amount_reporting,
       CAST(hs.health_now AS DOUBLE) AS health_score,
       CAST(hs.health_now - hs.health_before AS DOUBLE) AS health_trend,
       CASE WHEN u.seats_licensed > 0 THEN CAST(u.seats_used AS DOUBLE) / u.seats_licensed END AS seat_utilization,
       CAST(u.feature_adoption_pct AS DOUBLE) / 100 AS feature_adoption,
       datediff('day', d.customer_since, d.snapshot) / 365.25 AS tenure_years,
       CAST(coalesce(a.escalations, 0) AS DOUBLE) AS escalations,
       CAST(coalesce(a.programme_activities, 0) > 0 AS DOUBLE) AS success_programme
