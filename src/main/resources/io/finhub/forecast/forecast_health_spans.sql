-- Each health score with the day the customer's next one was scored: the latest score on a day is
-- the one whose span holds the day, a filter instead of a grouping per day.
SELECT customer_id, scored_on, health_score, lead(scored_on) OVER (PARTITION BY customer_id ORDER BY scored_on) AS next_on
FROM fact_health_score
