package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Which periods a rule watches. By default a rolling window: the last {@code lookbackPeriods}
 * periods of the rule's grain up to today, the one still running included or not. With {@code from}
 * (and optionally {@code to}) the rule watches that fixed range instead.
 *
 * <p>Alerts are evaluated when data changes, never on a timer, so a period enters or leaves a rolling
 * window at the first evaluation after the calendar moved on.
 */
public record AlertWindow(int lookbackPeriods, boolean includeOpenPeriod, Optional<LocalDate> from, Optional<LocalDate> to) {
    public static final int MAX_LOOKBACK = 120;

    public AlertWindow {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
    }

    public static AlertWindow rolling(int lookbackPeriods, boolean includeOpenPeriod) {
        return new AlertWindow(lookbackPeriods, includeOpenPeriod, Optional.empty(), Optional.empty());
    }

    public static AlertWindow fixed(LocalDate from, LocalDate to) {
        return new AlertWindow(1, true, Optional.of(from), Optional.ofNullable(to));
    }

    public boolean isFixed() {
        return from.isPresent();
    }
}
