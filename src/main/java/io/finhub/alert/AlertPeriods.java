package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.store.FiscalCalendar;
import io.finhub.store.TimeGrain;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The periods a rule watches on a given day, in the fiscal calendar of the store.
 *
 * @param firstPeriod start of the first watched period
 * @param from first day the rule's request reads (the first period's start, or a fixed window's own from)
 * @param to last day the rule's request reads; empty for an open-ended fixed window
 */
record AlertPeriods(TimeGrain grain, LocalDate firstPeriod, LocalDate from, Optional<LocalDate> to) {
    AlertPeriods {
        requireNonNull(grain, "grain is null");
        requireNonNull(firstPeriod, "firstPeriod is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
    }

    static AlertPeriods of(AlertWindow window, TimeGrain grain, FiscalCalendar calendar, LocalDate today) {
        if (window.isFixed()) {
            LocalDate from = window.from().orElseThrow();
            return new AlertPeriods(grain, calendar.periodStart(grain, from), from, window.to());
        }
        LocalDate last = calendar.periodStart(grain, today);
        if (!window.includeOpenPeriod()) {
            last = previous(calendar, grain, last);
        }
        LocalDate first = last;
        for (int period = 1; period < window.lookbackPeriods(); period++) {
            first = previous(calendar, grain, first);
        }
        return new AlertPeriods(grain, first, first, Optional.of(next(grain, last).minusDays(1)));
    }

    boolean contains(LocalDate periodStart) {
        return !periodStart.isBefore(firstPeriod) && to.map(last -> !periodStart.isAfter(last)).orElse(true);
    }

    /** The start of the period before the one starting at {@code periodStart}. */
    static LocalDate previous(FiscalCalendar calendar, TimeGrain grain, LocalDate periodStart) {
        return calendar.periodStart(grain, periodStart.minusDays(1));
    }

    /** The start of the period after the one starting at {@code periodStart}. */
    static LocalDate next(TimeGrain grain, LocalDate periodStart) {
        return switch (grain) {
            case DAY -> periodStart.plusDays(1);
            case WEEK -> periodStart.plusWeeks(1);
            case MONTH -> periodStart.plusMonths(1);
            case QUARTER -> periodStart.plusMonths(3);
            case YEAR -> periodStart.plusYears(1);
        };
    }
}
