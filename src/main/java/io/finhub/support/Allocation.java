package io.finhub.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Largest-remainder splitting in Java, the same rule the attribution SQL uses: floors first, then the missing units to the largest remainders, ties to the earlier part. */
public final class Allocation {
    private Allocation() {}

    /** Splits {@code amount} (at {@code scale} decimals) in proportion to the non-negative {@code weights}; the parts sum to {@code amount} exactly. */
    public static List<BigDecimal> split(BigDecimal amount, List<BigInteger> weights, int scale) {
        BigInteger units = amount.setScale(scale).unscaledValue();
        BigInteger total = weights.stream().reduce(BigInteger.ZERO, BigInteger::add);
        if (total.signum() <= 0) {
            throw new IllegalArgumentException("weights must have a positive sum");
        }
        List<BigInteger> parts = new ArrayList<>();
        List<BigInteger> rests = new ArrayList<>();
        BigInteger assigned = BigInteger.ZERO;
        for (BigInteger weight : weights) {
            BigInteger[] division = units.multiply(weight).divideAndRemainder(total);
            parts.add(division[0]);
            rests.add(division[1]);
            assigned = assigned.add(division[0]);
        }
        int missing = units.subtract(assigned).intValueExact();
        List<Integer> order = IntStream.range(0, weights.size()).boxed()
                .sorted(Comparator.comparing((Integer index) -> rests.get(index)).reversed().thenComparing(index -> index))
                .toList();
        for (int rank = 0; rank < missing; rank++) {
            int index = order.get(rank);
            parts.set(index, parts.get(index).add(BigInteger.ONE));
        }
        return parts.stream().map(part -> new BigDecimal(part, scale)).toList();
    }
}
