package io.finhub.forecast;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Reads renewal cases from a table holding the columns of {@code renewal_cases.sql}. */
final class RenewalCases {
    private RenewalCases() {}

    /** The cases of {@code table} matching {@code condition} (trusted SQL over its columns). */
    static List<RenewalCase> read(Handle handle, String table, String condition) {
        return handle.createQuery("SELECT * FROM " + table + " WHERE " + condition + " ORDER BY end_date, contract_id")
                .map((row, context) -> renewalCase(row))
                .list();
    }

    static RenewalCase renewalCase(ResultSet row) throws SQLException {
        boolean decided = row.getBoolean("decided");
        return new RenewalCase(row.getString("contract_id"), row.getString("customer_id"), row.getString("segment"),
                row.getObject("end_date", LocalDate.class), row.getObject("snapshot", LocalDate.class), row.getObject("closed_on", LocalDate.class),
                decided, decided ? Boolean.valueOf(row.getBoolean("renewed")) : null, row.getBigDecimal("amount_reporting").setScale(2),
                number(row, "crm_probability"), number(row, "health_score"), number(row, "health_trend"), number(row, "seat_utilization"),
                number(row, "feature_adoption"), number(row, "tenure_years"), number(row, "escalations"), number(row, "success_programme"));
    }

    private static double number(ResultSet row, String column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? Double.NaN : value;
    }
}
