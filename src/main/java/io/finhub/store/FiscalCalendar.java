package io.finhub.store;

import io.finhub.support.ClasspathResources;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import org.jdbi.v3.core.Handle;

/**
 * The company's fiscal calendar. Fiscal years are named after the calendar year in which they end
 * (a July start makes FY2025 run from 2024-07-01 to 2025-06-30); with a January start fiscal and
 * calendar years coincide. Every fiscal bucket in SQL and in Java comes from this one class.
 */
public final class FiscalCalendar {
    private final int startMonth;
    private final int shiftMonths;

    public FiscalCalendar(int startMonth) {
        if (startMonth < 1 || startMonth > 12) {
            throw new IllegalArgumentException("fiscal start month must be 1..12, was " + startMonth);
        }
        this.startMonth = startMonth;
        this.shiftMonths = (13 - startMonth) % 12;
    }

    public int startMonth() {
        return startMonth;
    }

    /** The first day of fiscal year {@code fiscalYear}. */
    public LocalDate fiscalYearStart(int fiscalYear) {
        return LocalDate.of(startMonth == 1 ? fiscalYear : fiscalYear - 1, startMonth, 1);
    }

    public int fiscalYearOf(LocalDate date) {
        return date.plusMonths(shiftMonths).getYear();
    }

    public int fiscalQuarterOf(LocalDate date) {
        return (date.plusMonths(shiftMonths).getMonthValue() - 1) / 3 + 1;
    }

    /** The first day of the period of {@code grain} that contains {@code date}. */
    public LocalDate periodStart(TimeGrain grain, LocalDate date) {
        return switch (grain) {
            case DAY -> date;
            case WEEK -> date.minusDays(date.getDayOfWeek().getValue() - 1L);
            case MONTH -> date.withDayOfMonth(1);
            case QUARTER -> {
                LocalDate shifted = date.plusMonths(shiftMonths).withDayOfMonth(1);
                yield shifted.withMonth((shifted.getMonthValue() - 1) / 3 * 3 + 1).minusMonths(shiftMonths);
            }
            case YEAR -> fiscalYearStart(fiscalYearOf(date));
        };
    }

    /** A human label for the period starting at {@code periodStart}: 2025-03-10, 2025-W11, 2025-03, FY2025-Q1, FY2025. */
    public String label(TimeGrain grain, LocalDate periodStart) {
        return switch (grain) {
            case DAY -> periodStart.toString();
            case WEEK -> "%d-W%02d".formatted(periodStart.get(IsoFields.WEEK_BASED_YEAR), periodStart.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> "%d-%02d".formatted(periodStart.getYear(), periodStart.getMonthValue());
            case QUARTER -> "FY%d-Q%d".formatted(fiscalYearOf(periodStart), fiscalQuarterOf(periodStart));
            case YEAR -> "FY" + fiscalYearOf(periodStart);
        };
    }

    /**
     * SQL for the first day of the {@code grain} period containing the DATE or TIMESTAMP
     * {@code column}. The column is a trusted identifier from the catalog, never user input.
     */
    public String periodStartSql(TimeGrain grain, String column) {
        return switch (grain) {
            case DAY -> "CAST(%s AS DATE)".formatted(column);
            case WEEK -> "CAST(date_trunc('week', %s) AS DATE)".formatted(column);
            case MONTH -> "CAST(date_trunc('month', %s) AS DATE)".formatted(column);
            case QUARTER -> shiftedTruncation("quarter", column);
            case YEAR -> shiftedTruncation("year", column);
        };
    }

    private String shiftedTruncation(String unit, String column) {
        if (shiftMonths == 0) {
            return "CAST(date_trunc('%s', %s) AS DATE)".formatted(unit, column);
        }
        return "CAST(date_trunc('%s', CAST(%s AS DATE) + INTERVAL %d MONTH) - INTERVAL %d MONTH AS DATE)"
                .formatted(unit, column, shiftMonths, shiftMonths);
    }

    /** Writes {@code dim_date} for this calendar and remembers its start month. */
    void refreshDateDimension(Handle handle) {
        String ddl = ClasspathResources.read("schema/derived/dim_date.sql");
        handle.execute("SET VARIABLE fiscal_shift_months = " + shiftMonths);
        handle.createScript(ddl).execute();
        handle.execute("INSERT OR REPLACE INTO finhub_setting VALUES ('fiscal_start_month', ?)", String.valueOf(startMonth));
    }

    /** Whether the store's {@code dim_date} was written for another fiscal start month (false for a new store). */
    boolean differsFromStored(Handle handle) {
        return handle.createQuery("SELECT setting_value FROM finhub_setting WHERE setting_key = 'fiscal_start_month'")
                .mapTo(String.class)
                .findOne()
                .filter(stored -> !stored.equals(String.valueOf(startMonth)))
                .isPresent();
    }
}
