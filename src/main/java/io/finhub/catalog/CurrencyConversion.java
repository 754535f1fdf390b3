package io.finhub.catalog;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conversion to the reporting currency in SQL, shared by the catalog and the feature queries:
 * each amount converts at its own date's rate from {@code fact_fx_rate} and is rounded to the cent,
 * so group sums tie out to the total. The product is widened to DECIMAL(38) first: an amount of 100
 * million times an 8-decimal rate would overflow DECIMAL(18). A zero amount needs no rate. A missing rate is never a silent 1.0: the statement fails
 * and {@link #translate} names the currency pair and the date.
 */
public final class CurrencyConversion {
    static final String MISSING_RATE_MARKER = "FINHUB_MISSING_FX_RATE";
    private static final Pattern MISSING_RATE = Pattern.compile(MISSING_RATE_MARKER + "\\|([A-Z]{3})\\|([A-Z]{3})\\|(\\d{4}-\\d{2}-\\d{2})");

    private CurrencyConversion() {}

    /**
     * SQL for {@code amount} in the reporting currency (bound as {@code :reporting_currency}), given an
     * {@code fx} alias joined by {@link #join}.
     */
    public static String convertedAmount(String amount, String currency, String rateDate) {
        return convertedAmount(amount, currency, rateDate, "fx");
    }

    /** As {@link #convertedAmount(String, String, String)}, with the rate joined under {@code alias}. */
    public static String convertedAmount(String amount, String currency, String rateDate, String alias) {
        return ("CASE WHEN %s = :reporting_currency OR %s = 0 THEN %s ELSE coalesce(round(CAST(%s AS DECIMAL(38, 2)) * %s.rate, 2), "
                + "error('%s|' || %s || '|' || :reporting_currency || '|' || CAST(CAST(%s AS DATE) AS VARCHAR))) END")
                .formatted(currency, amount, amount, amount, alias, MISSING_RATE_MARKER, currency, rateDate);
    }

    /**
     * {@code amount}, an amount converted ahead of time (a derived table), unless {@code missingRateOn}
     * says the rate of that day was missing, in which case the statement fails with the same
     * {@link ErrorCode#MISSING_FX_RATE} error as {@link #convertedAmount}.
     */
    public static String requireConverted(String amount, String missingRateOn, String currency) {
        return "CASE WHEN %s IS NULL THEN %s ELSE error('%s|' || %s || '|' || :reporting_currency || '|' || CAST(%s AS VARCHAR)) END"
                .formatted(missingRateOn, amount, MISSING_RATE_MARKER, currency, missingRateOn);
    }

    /** {@code LEFT JOIN} of the rate for {@code currency} on {@code rateDate}, aliased {@code fx}. */
    public static String join(String currency, String rateDate) {
        return join(currency, rateDate, "fx");
    }

    public static String join(String currency, String rateDate, String alias) {
        return " LEFT JOIN fact_fx_rate %s ON %s.rate_date = CAST(%s AS DATE) AND %s.from_currency = %s AND %s.to_currency = :reporting_currency"
                .formatted(alias, alias, rateDate, alias, currency, alias);
    }

    /** The {@link ErrorCode#MISSING_FX_RATE} error hidden in a failed statement, if that is why it failed. */
    public static Optional<FinhubException> missingRate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Matcher matcher = MISSING_RATE.matcher(String.valueOf(cause.getMessage()));
            if (matcher.find()) {
                return Optional.of(new FinhubException(ErrorCode.MISSING_FX_RATE, "no FX rate from %s to %s on %s: load that day's rate into fact_fx_rate"
                        .formatted(matcher.group(1), matcher.group(2), matcher.group(3))));
            }
        }
        return Optional.empty();
    }

    /** A failed statement as the client should see it: the missing rate, or an internal error without detail. */
    public static FinhubException translate(RuntimeException failure) {
        if (failure instanceof FinhubException finhub) {
            return finhub;
        }
        return missingRate(failure).orElseGet(() -> new FinhubException(ErrorCode.INTERNAL, "the query failed", failure));
    }
}
