package io.finhub.retention;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fact datasets a retention policy may name, each with the date a row's age is measured by. A
 * row whose date is NULL (an open subscription, an open renewal opportunity) is never old. Dimensions
 * are not here: facts refer to them. Neither are the audit log and the platform tables.
 */
final class RetentionDatasets {
    private static final Map<String, String> DATE_COLUMNS = dateColumns();

    private RetentionDatasets() {}

    private static Map<String, String> dateColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("fact_touchpoint", "touched_at");
        columns.put("fact_conversion", "converted_at");
        columns.put("fact_spend", "spend_date");
        columns.put("fact_budget", "budget_month");
        columns.put("fact_gl_actual", "posting_date");
        columns.put("fact_fx_rate", "rate_date");
        columns.put("fact_subscription", "end_date");
        columns.put("fact_invoice", "service_end");
        columns.put("fact_contract_commitment", "period_end");
        columns.put("fact_success_metric", "measured_on");
        columns.put("fact_utilization", "measured_on");
        columns.put("fact_health_score", "scored_on");
        columns.put("fact_cs_activity", "occurred_on");
        columns.put("fact_renewal_pipeline", "closed_on");
        return Map.copyOf(columns);
    }

    /** The column a row of {@code dataset} is aged by, if a policy may name the dataset. */
    static Optional<String> dateColumn(String dataset) {
        return Optional.ofNullable(DATE_COLUMNS.get(dataset));
    }

    static String names() {
        return String.join(", ", DATE_COLUMNS.keySet().stream().sorted().toList());
    }
}
