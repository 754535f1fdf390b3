package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The first-order Markov chain of the journeys, solved exactly in rational arithmetic.
 *
 * <p>States: START, one per channel, and the absorbing CONVERSION and NULL. With {@code B = D − C}
 * (D the diagonal of each transient state's outgoing transition count, C the counts between
 * transient states) and {@code c} the counts into CONVERSION, the conversion probability from every
 * state is {@code x = B⁻¹ c}, since {@code I − Q = D⁻¹ B}. Removing channel k sends every transition
 * into k to NULL, so the chain converts only on paths that avoid k:
 * {@code P₋ₖ = P − h(START, k) · x(k)}, where the probability of ever visiting k from START is
 * {@code h = N(START, k) ÷ N(k, k) = B⁻¹(START, k) ÷ B⁻¹(k, k)} (N the fundamental matrix). The
 * removal effect is {@code 1 − P₋ₖ ÷ P}. One exact inverse gives every removal effect; nothing is
 * simulated, so the results are reproducible to the last digit.
 */
final class AttributionMarkov {
    static final int SCALE = 30;

    private AttributionMarkov() {}

    /**
     * One transition count. A null {@code from} is START; a null {@code to} is the absorbing
     * state {@code outcome} ({@code CONVERSION} or {@code NULL}). {@code keyCollision} flags counts that
     * may have mixed two journeys and must be recounted.
     */
    record Transition(String from, String to, String outcome, long count, boolean keyCollision) {
        Transition {
            if (to == null) {
                requireNonNull(outcome, "outcome is null");
            }
        }
    }

    /** Removal effect of each channel, and the chain's conversion probability. */
    record Solution(BigDecimal conversionProbability, Map<String, Rational> removalEffects) {
        Solution {
            requireNonNull(conversionProbability, "conversionProbability is null");
            removalEffects = Map.copyOf(removalEffects);
        }

        BigDecimal removalEffect(String channel) {
            return removalEffects.get(channel).toBigDecimal(SCALE);
        }

        /** The removal effect × 2^50, rounded down: the whole-number weight the allocation uses. */
        BigInteger scaledWeight(String channel) {
            Rational effect = removalEffects.get(channel);
            return effect.numerator().shiftLeft(50).divide(effect.denominator());
        }
    }

    static Solution solve(List<Transition> transitions) {
        TreeSet<String> channels = new TreeSet<>();
        for (Transition transition : transitions) {
            if (transition.from() != null) {
                channels.add(transition.from());
            }
            if (transition.to() != null) {
                channels.add(transition.to());
            }
        }
        List<String> states = new ArrayList<>();
        states.add(null);
        states.addAll(channels);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int position = 1; position < states.size(); position++) {
            index.put(states.get(position), position);
        }
        int size = states.size();
        Rational[][] matrix = new Rational[size][size];
        Rational[] conversions = new Rational[size];
        BigInteger[] outgoing = new BigInteger[size];
        for (int row = 0; row < size; row++) {
            outgoing[row] = BigInteger.ZERO;
            conversions[row] = Rational.ZERO;
            for (int column = 0; column < size; column++) {
                matrix[row][column] = Rational.ZERO;
            }
        }
        for (Transition transition : transitions) {
            int from = transition.from() == null ? 0 : index.get(transition.from());
            BigInteger count = BigInteger.valueOf(transition.count());
            outgoing[from] = outgoing[from].add(count);
            if (transition.to() != null) {
                int to = index.get(transition.to());
                matrix[from][to] = matrix[from][to].subtract(Rational.of(count));
            }
            else if (transition.outcome().equals("CONVERSION")) {
                conversions[from] = conversions[from].add(Rational.of(count));
            }
        }
        if (outgoing[0].signum() == 0) {
            return new Solution(BigDecimal.ZERO, Map.of());
        }
        for (int state = 0; state < size; state++) {
            matrix[state][state] = matrix[state][state].add(Rational.of(outgoing[state]));
        }
        Rational[][] inverse = invert(matrix);
        Rational[] probability = multiply(inverse, conversions);
        Rational start = probability[0];
        Map<String, Rational> effects = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> channel : index.entrySet()) {
            int k = channel.getValue();
            Rational effect = start.signum() == 0
                    ? Rational.ZERO
                    : inverse[0][k].multiply(probability[k]).divide(inverse[k][k].multiply(start));
            effects.put(channel.getKey(), effect);
        }
        return new Solution(start.toBigDecimal(SCALE), effects);
    }

    private static Rational[] multiply(Rational[][] matrix, Rational[] vector) {
        Rational[] result = new Rational[vector.length];
        for (int row = 0; row < matrix.length; row++) {
            Rational sum = Rational.ZERO;
            for (int column = 0; column < vector.length; column++) {
                if (matrix[row][column].signum() != 0 && vector[column].signum() != 0) {
                    sum = sum.add(matrix[row][column].multiply(vector[column]));
                }
            }
            result[row] = sum;
        }
        return result;
    }

    /** Gauss-Jordan inversion over the rationals. B is a non-singular M-matrix: every path of the data ends absorbed. */
    static Rational[][] invert(Rational[][] matrix) {
        int size = matrix.length;
        Rational[][] work = new Rational[size][2 * size];
        for (int row = 0; row < size; row++) {
            for (int column = 0; column < size; column++) {
                work[row][column] = matrix[row][column];
                work[row][size + column] = row == column ? Rational.ONE : Rational.ZERO;
            }
        }
        for (int pivot = 0; pivot < size; pivot++) {
            int pivotRow = findPivot(work, pivot);
            Rational[] swap = work[pivot];
            work[pivot] = work[pivotRow];
            work[pivotRow] = swap;
            Rational divisor = work[pivot][pivot];
            for (int column = 0; column < 2 * size; column++) {
                work[pivot][column] = work[pivot][column].divide(divisor);
            }
            for (int row = 0; row < size; row++) {
                Rational factor = work[row][pivot];
                if (row == pivot || factor.signum() == 0) {
                    continue;
                }
                for (int column = 0; column < 2 * size; column++) {
                    if (work[pivot][column].signum() != 0) {
                        work[row][column] = work[row][column].subtract(factor.multiply(work[pivot][column]));
                    }
                }
            }
        }
        Rational[][] inverse = new Rational[size][size];
        for (int row = 0; row < size; row++) {
            System.arraycopy(work[row], size, inverse[row], 0, size);
        }
        return inverse;
    }

    private static int findPivot(Rational[][] work, int pivot) {
        for (int row = pivot; row < work.length; row++) {
            if (work[row][pivot].signum() != 0) {
                return row;
            }
        }
        throw new IllegalStateException("the transition matrix is singular: a state never reaches CONVERSION or NULL");
    }

    /** An exact fraction in lowest terms with a positive denominator. */
    record Rational(BigInteger numerator, BigInteger denominator) {
        static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
        static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

        Rational {
            if (denominator.signum() == 0) {
                throw new ArithmeticException("division by zero");
            }
            if (denominator.signum() < 0) {
                numerator = numerator.negate();
                denominator = denominator.negate();
            }
            BigInteger divisor = numerator.gcd(denominator);
            if (!divisor.equals(BigInteger.ONE) && divisor.signum() != 0) {
                numerator = numerator.divide(divisor);
                denominator = denominator.divide(divisor);
            }
        }

        static Rational of(BigInteger value) {
            return new Rational(value, BigInteger.ONE);
        }

        static Rational of(long numerator, long denominator) {
            return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
        }

        int signum() {
            return numerator.signum();
        }

        Rational add(Rational other) {
            return new Rational(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)), denominator.multiply(other.denominator));
        }

        Rational subtract(Rational other) {
            return add(new Rational(other.numerator.negate(), other.denominator));
        }

        Rational multiply(Rational other) {
            return new Rational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
        }

        Rational divide(Rational other) {
            return new Rational(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
        }

        BigDecimal toBigDecimal(int scale) {
            return new BigDecimal(numerator).divide(new BigDecimal(denominator), scale, RoundingMode.HALF_EVEN);
        }
    }
}
