package io.finhub.roi;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * One line of the ROI report, amounts in the reporting currency. Ratios are null where their
 * denominator is zero or missing; {@code nullReasons} says why, per field.
 *
 * @param ltv lifetime value of a customer (company-wide, or of the acquisition channel or segment when the
 *        report is by channel alone or by segment; null for one without paying customers of its own) over the
 *        unit-economics window
 */
public record RoiRow(LocalDate period, String periodLabel, Map<String, String> keys, Map<String, String> labels, BigDecimal spend,
        BigDecimal mediaSpend, BigDecimal attributedRevenue, BigDecimal attributedCustomers, BigDecimal newLeads, BigDecimal roiPct, BigDecimal roas,
        BigDecimal cac, BigDecimal costPerLead, BigDecimal ltv, BigDecimal ltvToCac, BigDecimal paybackMonths, Map<String, String> nullReasons) {
    public RoiRow {
        keys = Map.copyOf(keys);
        labels = Map.copyOf(labels);
        nullReasons = Map.copyOf(nullReasons);
    }
}
