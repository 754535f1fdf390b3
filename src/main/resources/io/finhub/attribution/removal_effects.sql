SELECT m.channel_id, ch.channel_name, m.removal_effect, m.conversion_probability
FROM attribution_markov_channel m
LEFT JOIN dim_channel ch ON ch.channel_id = m.channel_id
WHERE m.build_id = :build_id
ORDER BY m.removal_effect DESC, m.channel_id
