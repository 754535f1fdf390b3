package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer to a {@link MetricsRequest}: one page of rows and the total number of rows. */
public record MetricsResult(List<MetricsRow> rows, long totalCount, long dataVersion, String currency) {
    public MetricsResult {
        rows = List.copyOf(requireNonNull(rows, "rows is null"));
        requireNonNull(currency, "currency is null");
    }

    /**
     * One group. {@code period} is the first day of the time bucket (null without a time grain).
     * Dimension values and labels may be null (a spend row without a campaign); a null measure
     * value means there is no data for it in this group, or the ratio is undefined.
     */
    public record MetricsRow(LocalDate period, String periodLabel, Map<String, String> dimensions, Map<String, String> labels,
            Map<String, BigDecimal> measures) {
        public MetricsRow {
            dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            measures = Collections.unmodifiableMap(new LinkedHashMap<>(measures));
        }

        /** The dimension keys this row has (a null key, e.g. spend without a campaign, is left out). */
        public Map<String, String> presentDimensions() {
            return withoutNulls(dimensions);
        }

        /** The labels this row has. */
        public Map<String, String> presentLabels() {
            return withoutNulls(labels);
        }

        private static Map<String, String> withoutNulls(Map<String, String> values) {
            Map<String, String> present = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                if (value != null) {
                    present.put(name, value);
                }
            });
            return present;
        }
    }
}
