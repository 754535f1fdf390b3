-- One model's credits with their conversion's attributes, in conversion-date order, for attribution_fact.
SELECT c.build_id, c.model, c.conversion_id, c.channel_id, c.campaign_id, c.credit, c.attributed_amount,
       v.converted_at, v.deal_type, v.customer_id, v.product_id, v.currency_code AS original_currency,
       getvariable('attribution_reporting_currency') AS reporting_currency
FROM stage_credit c
JOIN stage_conversion v ON v.conversion_id = c.conversion_id
ORDER BY v.converted_at, c.conversion_id, c.touch_seq
