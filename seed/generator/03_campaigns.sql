-- Campaigns: one always-on campaign per channel and quarter, and in about half of the
-- channel-quarters a second, themed one. A campaign runs for its whole quarter, so a touch finds
-- its campaign from its channel and date alone.

-- How each channel is run: the owning department, the share of its touches that carry no campaign
-- (tenths), how much it costs to win a dollar of new ACV (efficiency: spend / attributed revenue,
-- before per-campaign variation), a floor cost per touch, and its cost-type mix in percent.
CREATE TEMP TABLE seed_channel_plan AS
SELECT * FROM (VALUES
    ('paid_search',      'MKT-DEMAND',  0, 0.80, 4.00, 75, 12,  8,  5),
    ('paid_social',      'MKT-DEMAND',  0, 1.00, 3.00, 70, 18,  7,  5),
    ('display',          'MKT-DEMAND',  0, 1.25, 2.00, 72, 20,  3,  5),
    ('email',            'MKT-DEMAND',  0, 0.35, 1.50,  0, 30, 20, 50),
    ('content_seo',      'MKT-CONTENT', 4, 0.50, 3.00,  0, 50, 40, 10),
    ('organic_social',   'MKT-CONTENT', 5, 0.40, 2.50,  0, 40, 60,  0),
    ('webinar',          'MKT-CONTENT', 0, 0.45, 2.00, 10, 30, 35, 25),
    ('events',           'MKT-FIELD',   0, 0.95, 20.00, 45, 20, 30,  5),
    ('partner_referral', 'MKT-FIELD',   0, 0.35, 2.00, 60,  5, 35,  0),
    ('outbound_sdr',     'MKT-FIELD',   0, 0.70, 3.00,  0,  0, 70, 30)
) AS plan (channel_id, department_id, no_campaign_tenths, efficiency, cost_per_touch,
           media_pct, creative_pct, personnel_pct, technology_pct);

CREATE TEMP TABLE seed_campaign AS
WITH quarters AS (
    SELECT CAST(q AS DATE) AS quarter_start
    FROM range(DATE '2023-01-01', DATE '2026-01-01', INTERVAL 3 MONTH) AS t(q)
),
slots AS (
    SELECT ch.channel_id, ch.channel_name, plan.department_id, quarters.quarter_start, slot.slot_no,
           ch.channel_id || '@' || quarters.quarter_start AS channel_quarter
    FROM dim_channel ch
    JOIN seed_channel_plan plan USING (channel_id)
    CROSS JOIN quarters
    CROSS JOIN (VALUES (1), (2)) AS slot (slot_no)
),
drawn AS (
    SELECT *,
           seed_unit(channel_quarter, 'second-campaign') < 0.5 AS has_second,
           seed_unit2(channel_quarter, slot_no, 'objective') AS objective_draw,
           seed_unit2(channel_quarter, slot_no, 'market') AS market_draw
    FROM slots
),
themed AS (
    SELECT *,
           CASE WHEN slot_no = 1 OR objective_draw < 0.55 THEN 'ACQUISITION'
                WHEN objective_draw < 0.80 THEN 'EXPANSION'
                ELSE 'RETENTION' END AS objective,
           CASE WHEN market_draw < 0.14 THEN 'EUR' WHEN market_draw < 0.22 THEN 'GBP' ELSE 'USD' END AS currency_code
    FROM drawn
    WHERE slot_no = 1 OR has_second
),
featured AS (
    -- Expansion campaigns promote the newest product launched before the quarter.
    SELECT themed.*,
           CASE WHEN objective = 'EXPANSION' THEN (
               SELECT arg_max(product_id, launch_date) FROM dim_product p
               WHERE p.launch_date <= themed.quarter_start AND p.product_id <> 'PRD-CORE') END AS product_id
    FROM themed
)
SELECT 'CMP-' || upper(replace(channel_id, '_', '-')) || '-' || year(quarter_start) || 'Q' || quarter(quarter_start) || '-' || slot_no AS campaign_id,
       channel_name || ' ' || year(quarter_start) || ' Q' || quarter(quarter_start) || ' · '
           || CASE WHEN slot_no = 1 THEN 'Always-on'
                   WHEN objective = 'ACQUISITION' THEN 'Pipeline sprint'
                   WHEN objective = 'EXPANSION' THEN 'Cross-sell ' || (SELECT product_name FROM dim_product p WHERE p.product_id = featured.product_id)
                   ELSE 'Customer advocacy' END
           || CASE currency_code WHEN 'EUR' THEN ' (DACH)' WHEN 'GBP' THEN ' (UK)' ELSE '' END AS campaign_name,
       channel_id, department_id, product_id, objective, slot_no, has_second, currency_code,
       quarter_start,
       CAST(quarter_start + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS quarter_end
FROM featured;

INSERT INTO dim_campaign
SELECT campaign_id, campaign_name, channel_id, department_id, product_id, objective, quarter_start, quarter_end
FROM seed_campaign;

-- Which campaign a touch of a channel in a quarter belongs to, by a draw in 0..9: the first
-- tenths of organic channels carry none, a second campaign takes 40 % of the rest.
CREATE TEMP TABLE seed_campaign_pick AS
SELECT first_slot.channel_id, first_slot.quarter_start, bucket.bucket,
       CASE WHEN bucket.bucket < plan.no_campaign_tenths THEN NULL
            WHEN second_slot.campaign_id IS NOT NULL AND bucket.bucket >= 6 THEN second_slot.campaign_id
            ELSE first_slot.campaign_id END AS campaign_id
FROM seed_campaign first_slot
JOIN seed_channel_plan plan USING (channel_id)
LEFT JOIN seed_campaign second_slot
       ON second_slot.channel_id = first_slot.channel_id AND second_slot.quarter_start = first_slot.quarter_start AND second_slot.slot_no = 2
CROSS JOIN range(10) AS bucket (bucket)
WHERE first_slot.slot_no = 1;
