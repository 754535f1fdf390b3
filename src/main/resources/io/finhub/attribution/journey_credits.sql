SELECT model, touch_seq, credit, attributed_amount
FROM attribution_credit
WHERE build_id = :build_id AND conversion_id = :conversion_id AND list_contains(:models, model)
