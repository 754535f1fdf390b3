-- What the models distribute in a period: conversions with at least one touch in their lookback
-- window, and those without any (which no model can credit). For a caller restricted to some
-- departments ({visible} is true for the others): only the conversions with a touch of a campaign of
-- :departments on their path, so none without a touch.
SELECT count(*) FILTER (WHERE touch_count > 0) AS attributable_conversions,
       coalesce(sum(amount_reporting) FILTER (WHERE touch_count > 0), 0) AS attributable_revenue,
       count(*) FILTER (WHERE touch_count = 0) AS unattributed_conversions,
       coalesce(sum(amount_reporting) FILTER (WHERE touch_count = 0), 0) AS unattributed_revenue
FROM attribution_conversion
WHERE build_id = :build_id
  AND converted_at >= :range_from AND converted_at < :range_to_exclusive
  AND (:all_deal_types OR list_contains(:deal_types, deal_type))
  AND {visible}
