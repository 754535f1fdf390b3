package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.FiscalCalendar;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reporting period named in a path or argument: {@code FY2025} and {@code FY2025-Q1} (fiscal
 * calendar), {@code 2025} (calendar year), {@code 2025-03} (month) or {@code 2025-01-01..2025-03-31}
 * (both days included).
 */
public record AttributionPeriod(String label, LocalDate from, LocalDate to) {
    private static final Pattern FISCAL = Pattern.compile("FY(\\d{4})(?:-Q([1-4]))?");
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern RANGE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\.\\.(\\d{4}-\\d{2}-\\d{2})");

    public AttributionPeriod {
        requireNonNull(label, "label is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (from.isAfter(to)) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "the period starts (%s) after it ends (%s)".formatted(from, to));
        }
    }

    public static AttributionPeriod parse(String text, FiscalCalendar calendar) {
        requireNonNull(text, "text is null");
        String value = text.trim().toUpperCase(Locale.ROOT);
        try {
            Matcher fiscal = FISCAL.matcher(value);
            if (fiscal.matches()) {
                LocalDate yearStart = calendar.fiscalYearStart(Integer.parseInt(fiscal.group(1)));
                if (fiscal.group(2) == null) {
                    return new AttributionPeriod(value, yearStart, yearStart.plusYears(1).minusDays(1));
                }
                LocalDate quarterStart = yearStart.plusMonths(3L * (Integer.parseInt(fiscal.group(2)) - 1));
                return new AttributionPeriod(value, quarterStart, quarterStart.plusMonths(3).minusDays(1));
            }
            if (YEAR.matcher(value).matches()) {
                int year = Integer.parseInt(value);
                return new AttributionPeriod(value, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
            }
            Matcher month = MONTH.matcher(value);
            if (month.matches()) {
                YearMonth yearMonth = YearMonth.of(Integer.parseInt(month.group(1)), Integer.parseInt(month.group(2)));
                return new AttributionPeriod(value, yearMonth.atDay(1), yearMonth.atEndOfMonth());
            }
            Matcher range = RANGE.matcher(value);
            if (range.matches()) {
                return new AttributionPeriod(value, LocalDate.parse(range.group(1)), LocalDate.parse(range.group(2)));
            }
        }
        catch (DateTimeException e) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "'%s' is not a valid period: %s".formatted(text, e.getMessage()));
        }
        throw new FinhubException(ErrorCode.INVALID_DATE_RANGE,
                "'%s' is not a period: use FY2025, FY2025-Q1, 2025, 2025-03 or 2025-01-01..2025-03-31".formatted(text));
    }
}
