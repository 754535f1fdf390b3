package io.finhub.roi;

import static java.util.Objects.requireNonNull;

import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The inputs of customer lifetime value over a stated window of whole months, kept as exact sums so
 * LTV = ARPA × gross margin ÷ monthly customer churn rate is computed without rounding on the way
 * and rounded once, to the cent.
 *
 * @param windowStart the first day of the window's first month
 * @param windowEnd the last day of its last month, the last month end on or before the report's asOf
 * @param mrrMonths Σ month-end MRR over the window
 * @param customerMonths Σ month-end paying customers over the window
 * @param churnedCustomers customers whose last subscription ended in the window
 * @param openingCustomerMonths Σ paying customers at the start of each month of the window
 * @param revenue GL revenue actuals over the window
 * @param cogs GL cost-of-goods-sold actuals over the window
 */
public record UnitEconomics(LocalDate windowStart, LocalDate windowEnd, BigDecimal mrrMonths, long customerMonths, long churnedCustomers,
        long openingCustomerMonths, BigDecimal revenue, BigDecimal cogs) {
    private static final MathContext EXACT = MathContext.DECIMAL128;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public UnitEconomics {
        requireNonNull(windowStart, "windowStart is null");
        requireNonNull(windowEnd, "windowEnd is null");
        requireNonNull(mrrMonths, "mrrMonths is null");
        requireNonNull(revenue, "revenue is null");
        requireNonNull(cogs, "cogs is null");
    }

    /** Average monthly revenue per account. */
    public Optional<BigDecimal> arpa() {
        return exactArpa().map(value -> value.setScale(Decimals.MONEY_SCALE, RoundingMode.HALF_EVEN));
    }

    public Optional<BigDecimal> grossMarginPct() {
        return exactGrossMargin().map(value -> value.multiply(HUNDRED).setScale(Decimals.RATIO_SCALE, RoundingMode.HALF_EVEN));
    }

    /** Churned customers ÷ customers at the start of each month × 100: the average monthly logo churn. */
    public Optional<BigDecimal> monthlyChurnPct() {
        return Decimals.percent(BigDecimal.valueOf(churnedCustomers), BigDecimal.valueOf(openingCustomerMonths));
    }

    /**
     * LTV = (mrrMonths ÷ customerMonths) × ((revenue − cogs) ÷ revenue) ÷ (churned ÷ openingCustomerMonths),
     * as one exact division rounded once; empty without churn in the window (no finite lifetime) or without revenue.
     */
    public Optional<BigDecimal> ltv() {
        if (!hasLtv()) {
            return Optional.empty();
        }
        return Optional.of(ltvNumerator().divide(ltvDenominator(), Decimals.MONEY_SCALE, RoundingMode.HALF_EVEN));
    }

    /**
     * LTV ÷ CAC with CAC = spend ÷ customers, both unrounded: (LTV numerator × customers) ÷ (LTV denominator × spend),
     * one exact division rounded once to {@link Decimals#RATIO_SCALE} (the LTV and CAC shown are rounded to the cent,
     * and dividing those moves the ratio: 481.0270 where the exact one is 481.0303). Empty when LTV or CAC is undefined
     * or CAC is zero.
     */
    public Optional<BigDecimal> ltvToCac(BigDecimal spend, BigDecimal customers) {
        if (!hasLtv() || spend == null || spend.signum() == 0 || customers == null || customers.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(ltvNumerator().multiply(customers).divide(ltvDenominator().multiply(spend), Decimals.RATIO_SCALE, RoundingMode.HALF_EVEN));
    }

    /**
     * CAC payback in months: CAC ÷ (ARPA × gross margin) with CAC = spend ÷ customers unrounded, i.e.
     * (spend × customerMonths × revenue) ÷ (customers × mrrMonths × (revenue − cogs)), one exact division rounded once.
     */
    public Optional<BigDecimal> paybackMonths(BigDecimal spend, BigDecimal customers) {
        if (spend == null || customers == null || customers.signum() == 0 || customerMonths == 0 || revenue.signum() == 0) {
            return Optional.empty();
        }
        BigDecimal monthlyGrossProfit = mrrMonths.multiply(revenue.subtract(cogs));
        if (monthlyGrossProfit.signum() <= 0) {
            return Optional.empty();
        }
        return Optional.of(spend.multiply(BigDecimal.valueOf(customerMonths)).multiply(revenue)
                .divide(customers.multiply(monthlyGrossProfit), 2, RoundingMode.HALF_EVEN));
    }

    private boolean hasLtv() {
        return churnedCustomers != 0 && customerMonths != 0 && revenue.signum() != 0;
    }

    private BigDecimal ltvNumerator() {
        return mrrMonths.multiply(revenue.subtract(cogs)).multiply(BigDecimal.valueOf(openingCustomerMonths));
    }

    private BigDecimal ltvDenominator() {
        return BigDecimal.valueOf(customerMonths).multiply(revenue).multiply(BigDecimal.valueOf(churnedCustomers));
    }

    private Optional<BigDecimal> exactArpa() {
        if (customerMonths == 0) {
            return Optional.empty();
        }
        return Optional.of(mrrMonths.divide(BigDecimal.valueOf(customerMonths), EXACT));
    }

    private Optional<BigDecimal> exactGrossMargin() {
        if (revenue.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(revenue.subtract(cogs).divide(revenue, EXACT));
    }
}
