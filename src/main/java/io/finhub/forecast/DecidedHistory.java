package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.support.SqlScripts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The decided renewals of the stored cases with their factor values, read once per facts version:
 * what the model of a back-dated day learns from, besides the few decided cases staged for the day.
 * A back-dated day's decided cases are the stored ones copied to it (see {@link ForecastModels#stage}:
 * decided by the day, their term's quarter started by then, no renewal opportunity created after it)
 * and those staged for it; {@link #fit} takes the first from memory and reads only the second, and
 * feeds both to the model in the order {@link RenewalModel#fit(Handle, String, LocalDate)} reads a
 * table's decided cases (end date, then contract), so the model is the same to the last bit. On the
 * l scale this saves reading 1.2 million cases per new day and copying them to its table (1 s in
 * all); it holds about 200 bytes per stored decided case (some 30 MB at m, 320 MB at l).
 */
final class DecidedHistory {
    /** The condition that a stored case is copied to the day {@code :day}, over a cases table {@code t}. */
    static final String COPIED = """
            t.decided AND t.closed_on <= :day AND t.renewal_quarter_start <= :day
            AND NOT EXISTS (SELECT 1 FROM fact_renewal_pipeline p WHERE p.kind = 'RENEWAL' AND p.contract_id = t.contract_id AND p.created_on > :day)""";

    private final long factsVersion;
    private final int[] end;
    private final String[] contract;
    private final int[] closed;
    private final int[] quarter;
    /** The day the contract's last renewal opportunity was created. */
    private final int[] lastCreated;
    private final int[] renewed;
    private final double[][] factors;

    private DecidedHistory(long factsVersion, List<Row> rows) {
        this.factsVersion = factsVersion;
        int n = rows.size();
        end = new int[n];
        contract = new String[n];
        closed = new int[n];
        quarter = new int[n];
        lastCreated = new int[n];
        renewed = new int[n];
        factors = new double[n][];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            end[i] = row.end();
            contract[i] = row.contract();
            closed[i] = row.closed();
            quarter[i] = row.quarter();
            lastCreated[i] = row.lastCreated();
            renewed[i] = row.renewed();
            factors[i] = row.factors();
        }
    }

    private record Row(int end, String contract, int closed, int quarter, int lastCreated, int renewed, double[] factors) {}

    /** The decided cases of {@code casesTable}, which holds the stored cases of {@code factsVersion}. */
    static DecidedHistory read(Handle handle, String casesTable, long factsVersion) {
        String sql = "SELECT t.end_date, t.contract_id, t.closed_on, t.renewal_quarter_start, p.last_created, t.renewed" + RenewalModel.factorValues()
                + " FROM " + casesTable + " t LEFT JOIN (SELECT contract_id, max(created_on) AS last_created FROM fact_renewal_pipeline"
                + " WHERE kind = 'RENEWAL' GROUP BY contract_id) p ON p.contract_id = t.contract_id"
                + " WHERE t.decided ORDER BY t.end_date, t.contract_id";
        return new DecidedHistory(factsVersion, rows(handle, sql, true));
    }

    long factsVersion() {
        return factsVersion;
    }

    /**
     * The model of the day {@code day} and its decided counts: fitted on the stored decided cases
     * copied to the day and the decided cases of {@code staged}, a table holding the day's cases that
     * were staged, not copied (call it before the copies are added).
     */
    ForecastModels.DayModel fit(Handle handle, String staged, LocalDate day) {
        requireNonNull(day, "day is null");
        List<Row> computed = rows(handle, "SELECT t.end_date, t.contract_id, NULL, NULL, NULL, t.renewed" + RenewalModel.factorValues() + " FROM " + staged
                + " t WHERE t.decided ORDER BY t.end_date, t.contract_id", false);
        int today = (int) day.toEpochDay();
        boolean[] copied = new boolean[end.length];
        int n = computed.size();
        for (int i = 0; i < end.length; i++) {
            copied[i] = closed[i] <= today && quarter[i] <= today && lastCreated[i] <= today;
            n += copied[i] ? 1 : 0;
        }
        double[][] raw = new double[n][];
        int[] y = new int[n];
        int at = 0;
        int next = 0;
        for (int i = 0; i < end.length; i++) {
            if (!copied[i]) {
                continue;
            }
            for (; next < computed.size() && before(computed.get(next), end[i], contract[i]); next++, at++) {
                raw[at] = computed.get(next).factors();
                y[at] = computed.get(next).renewed();
            }
            raw[at] = factors[i];
            y[at++] = renewed[i];
        }
        for (; next < computed.size(); next++, at++) {
            raw[at] = computed.get(next).factors();
            y[at] = computed.get(next).renewed();
        }
        long renewals = java.util.Arrays.stream(y).filter(outcome -> outcome == 1).count();
        return new ForecastModels.DayModel(RenewalModel.fit(raw, y, day), n, renewals);
    }

    /**
     * Whether {@code row} comes before the case ending on {@code end} of {@code contract} in the fit's
     * order: DuckDB orders text by its UTF-8 bytes, which is the order of code points.
     */
    private static boolean before(Row row, int end, String contract) {
        return row.end() < end || (row.end() == end && compareCodePoints(row.contract(), contract) < 0);
    }

    static int compareCodePoints(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }

    private static List<Row> rows(Handle handle, String sql, boolean history) {
        int k = RenewalFactor.values().length;
        return SqlScripts.query(handle, sql, row -> {
            List<Row> rows = new ArrayList<>();
            while (row.next()) {
                double[] values = new double[k];
                for (int j = 0; j < k; j++) {
                    double value = row.getDouble(j + 7);
                    values[j] = row.wasNull() ? Double.NaN : value;
                }
                rows.add(new Row(day(row, 1), row.getString(2), history ? day(row, 3) : 0, history ? day(row, 4) : 0,
                        history ? dayOrEarliest(row, 5) : 0, row.getBoolean(6) ? 1 : 0, values));
            }
            return rows;
        });
    }

    private static int day(ResultSet row, int column) throws SQLException {
        return (int) row.getObject(column, LocalDate.class).toEpochDay();
    }

    /** A day, or the earliest one when there is none (a contract without renewal opportunities has none created after any day). */
    private static int dayOrEarliest(ResultSet row, int column) throws SQLException {
        LocalDate value = row.getObject(column, LocalDate.class);
        return value == null ? Integer.MIN_VALUE : (int) value.toEpochDay();
    }
}
