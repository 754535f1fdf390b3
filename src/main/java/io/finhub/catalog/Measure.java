package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One business number, defined once. A base measure is an aggregate over one fact, computed in
 * DuckDB; a derived measure combines other measures of the same row in exact decimal arithmetic
 * (DuckDB divides decimals in floating point, so ratios are never left to SQL).
 *
 * @param fact fact name for a base measure, empty for a derived one
 * @param aggregate SQL aggregate for a base measure; {@code $money} stands for the fact's amount
 *        converted to the reporting currency
 * @param condition optional SQL predicate restricting the fact rows this measure counts
 * @param inputs measures a derived measure is computed from
 * @param formula computes a derived measure from its inputs' unrounded values (null inputs allowed),
 *        unrounded itself (quotients by {@link io.finhub.support.Decimals#exactRatio}): reports round
 *        it once ({@link #rounded}), alert rules compare it as it is; returns empty when the value is
 *        undefined, e.g. a ratio over zero
 * @param oneValueOf a dimension whose values are alternative accounts of the same rows (the
 *        attribution model): a request must group by it or filter it to one value, as a sum over
 *        several would count the same revenue once per value
 */
public record Measure(String name, String description, Unit unit, Optional<String> fact, Optional<String> aggregate,
        Optional<String> condition, List<String> inputs, Optional<Function<List<BigDecimal>, Optional<BigDecimal>>> formula,
        Optional<String> oneValueOf) {
    public Measure(String name, String description, Unit unit, Optional<String> fact, Optional<String> aggregate, Optional<String> condition,
            List<String> inputs, Optional<Function<List<BigDecimal>, Optional<BigDecimal>>> formula) {
        this(name, description, unit, fact, aggregate, condition, inputs, formula, Optional.empty());
    }

    /** This measure, to be asked by one value of {@code dimension} at a time (see {@code oneValueOf}). */
    public Measure byOneValueOf(String dimension) {
        return new Measure(name, description, unit, fact, aggregate, condition, inputs, formula, Optional.of(dimension));
    }

    public Measure {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(fact, "fact is null");
        requireNonNull(aggregate, "aggregate is null");
        requireNonNull(condition, "condition is null");
        inputs = List.copyOf(requireNonNull(inputs, "inputs is null"));
        requireNonNull(formula, "formula is null");
        requireNonNull(oneValueOf, "oneValueOf is null");
        if (fact.isPresent() == formula.isPresent()) {
            throw new IllegalArgumentException("measure " + name + " must be either based on a fact or derived by a formula");
        }
    }

    public static Measure base(String name, String description, Unit unit, String fact, String aggregate) {
        return new Measure(name, description, unit, Optional.of(fact), Optional.of(aggregate), Optional.empty(), List.of(), Optional.empty());
    }

    public static Measure base(String name, String description, Unit unit, String fact, String aggregate, String condition) {
        return new Measure(name, description, unit, Optional.of(fact), Optional.of(aggregate), Optional.of(condition), List.of(), Optional.empty());
    }

    public static Measure derived(String name, String description, Unit unit, List<String> inputs,
            Function<List<BigDecimal>, Optional<BigDecimal>> formula) {
        return new Measure(name, description, unit, Optional.empty(), Optional.empty(), Optional.empty(), inputs, Optional.of(formula));
    }

    public boolean isDerived() {
        return formula.isPresent();
    }

    /**
     * The value as reports show it: a derived measure to at most its unit's
     * {@linkplain Unit#displayScale() places}, a base measure as aggregated.
     */
    public BigDecimal rounded(BigDecimal value) {
        if (value == null || !isDerived() || value.scale() <= unit.displayScale()) {
            return value;
        }
        return value.setScale(unit.displayScale(), RoundingMode.HALF_EVEN);
    }

    public boolean usesMoney() {
        return aggregate.map(sql -> sql.contains("$money")).orElse(false);
    }

    /** Names of the base measures this measure needs, itself included when it is base. */
    Set<String> baseInputs(Catalog catalog) {
        if (!isDerived()) {
            return Set.of(name);
        }
        return inputs.stream()
                .flatMap(input -> catalog.measure(input).baseInputs(catalog).stream())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
