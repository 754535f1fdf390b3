package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attribution of one period's conversions under several models side by side.
 *
 * @param attributableConversions conversions with at least one touch in their lookback window:
 *        what every model distributes
 * @param attributableRevenue their value in the reporting currency; each model's attributed
 *        revenue sums to exactly this
 * @param unattributedConversions conversions without a touch in their window, credited to no channel
 * @param rows one row per channel or campaign with every model's figures
 */
public record AttributionReport(AttributionGrouping grouping, String currency, long dataVersion, AttributionSettings settings,
        Optional<LocalDate> from, Optional<LocalDate> to, long attributableConversions, BigDecimal attributableRevenue,
        long unattributedConversions, BigDecimal unattributedRevenue, List<ModelResult> models, List<ComparisonRow> rows) {
    public AttributionReport {
        requireNonNull(grouping, "grouping is null");
        requireNonNull(currency, "currency is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(attributableRevenue, "attributableRevenue is null");
        requireNonNull(unattributedRevenue, "unattributedRevenue is null");
        models = List.copyOf(models);
        rows = List.copyOf(rows);
    }

    /**
     * One model's results.
     *
     * @param reconciled true when the attributed revenue equals the attributable revenue to the cent
     * @param removalEffects for {@link AttributionModel#MARKOV}, each channel's removal effect
     */
    public record ModelResult(AttributionModel model, BigDecimal attributedConversions, BigDecimal attributedRevenue, boolean reconciled,
            List<Row> rows, List<RemovalEffect> removalEffects) {
        public ModelResult {
            requireNonNull(model, "model is null");
            requireNonNull(attributedConversions, "attributedConversions is null");
            requireNonNull(attributedRevenue, "attributedRevenue is null");
            rows = List.copyOf(rows);
            removalEffects = List.copyOf(removalEffects);
        }
    }

    /**
     * One channel or campaign under one model.
     *
     * @param key channel or campaign id; null for touches without a campaign
     * @param channel the channel (for a campaign: the campaign's channel)
     * @param share attributed revenue ÷ attributable revenue, six decimals
     * @param conversionShare attributed conversions ÷ attributable conversions, six decimals
     */
    public record Row(String key, String label, String channel, BigDecimal attributedConversions, BigDecimal attributedRevenue, BigDecimal share,
            BigDecimal conversionShare) {
        public Row {
            requireNonNull(attributedConversions, "attributedConversions is null");
            requireNonNull(attributedRevenue, "attributedRevenue is null");
            requireNonNull(share, "share is null");
            requireNonNull(conversionShare, "conversionShare is null");
        }
    }

    /** One channel or campaign with each model's row (a model that credits it nothing has none). */
    public record ComparisonRow(String key, String label, Map<AttributionModel, Row> values) {
        public ComparisonRow {
            values = Map.copyOf(values);
        }
    }

    /**
     * A channel of the Markov chain.
     *
     * @param removalEffect share of the chain's conversion probability lost without the channel
     * @param share removal effect ÷ sum of removal effects
     * @param conversions the classic channel-level allocation: attributable conversions × share
     *        (Anderl et al. 2016); the model's own allocation splits each conversion over its path
     */
    public record RemovalEffect(String channel, String label, BigDecimal removalEffect, BigDecimal share, BigDecimal conversions,
            BigDecimal conversionProbability) {
        public RemovalEffect {
            requireNonNull(channel, "channel is null");
            requireNonNull(removalEffect, "removalEffect is null");
            requireNonNull(share, "share is null");
            requireNonNull(conversions, "conversions is null");
            requireNonNull(conversionProbability, "conversionProbability is null");
        }
    }
}
