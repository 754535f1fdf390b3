-- Attributed conversions and revenue per model and channel (or campaign) for conversions in a period.
-- A caller restricted to some departments gets only the credits of touches of campaigns of :departments
-- (a credit belongs to its campaign's department; one without a campaign to none): {visible} is that
-- condition for such a caller and true for the others (a join evaluated for every caller cost 45 %).
WITH grouped AS (
    SELECT c.model,
           CASE WHEN :by_campaign THEN c.campaign_id ELSE c.channel_id END AS group_key,
           sum(c.credit) AS conversions,
           sum(c.attributed_amount) AS revenue
    FROM attribution_credit c
    JOIN attribution_conversion v ON v.build_id = c.build_id AND v.conversion_id = c.conversion_id
    WHERE c.build_id = :build_id
      AND {visible}
      AND list_contains(:models, c.model)
      AND v.converted_at >= :range_from AND v.converted_at < :range_to_exclusive
      AND (:all_deal_types OR list_contains(:deal_types, v.deal_type))
    GROUP BY ALL
)
SELECT g.model, g.group_key, g.conversions, g.revenue,
       CASE WHEN :by_campaign THEN cp.campaign_name ELSE ch.channel_name END AS label,
       CASE WHEN :by_campaign THEN cp.channel_id ELSE g.group_key END AS channel_id
FROM grouped g
LEFT JOIN dim_channel ch ON ch.channel_id = g.group_key
LEFT JOIN dim_campaign cp ON cp.campaign_id = g.group_key
ORDER BY g.model, g.group_key NULLS LAST
