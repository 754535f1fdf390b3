package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every fact, measure and dimension FinHub knows, defined once. GraphQL, the BI feed and alert
 * rules all ask this catalog, so a number means the same everywhere. Features add their own
 * definitions with the {@code add} methods while the application is wired, before it serves.
 */
public final class Catalog {
    private final Map<String, Fact> facts = new LinkedHashMap<>();
    private final Map<String, Measure> measures = new LinkedHashMap<>();
    private final Map<String, Dimension> dimensions = new LinkedHashMap<>();

    public Catalog addFact(Fact fact) {
        requireNonNull(fact, "fact is null");
        putUnique(facts, fact.name(), fact, "fact");
        return this;
    }

    public Catalog addDimension(Dimension dimension) {
        requireNonNull(dimension, "dimension is null");
        putUnique(dimensions, dimension.name(), dimension, "dimension");
        return this;
    }

    public Catalog addMeasure(Measure measure) {
        requireNonNull(measure, "measure is null");
        measure.fact().ifPresent(fact -> {
            if (!facts.containsKey(fact)) {
                throw new IllegalArgumentException("measure " + measure.name() + " refers to unknown fact " + fact);
            }
        });
        for (String input : measure.inputs()) {
            if (!measures.containsKey(input)) {
                throw new IllegalArgumentException("measure " + measure.name() + " refers to unknown measure " + input);
            }
        }
        putUnique(measures, measure.name(), measure, "measure");
        return this;
    }

    private static <T> void putUnique(Map<String, T> map, String name, T value, String kind) {
        if (map.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException(kind + " " + name + " is defined twice");
        }
    }

    public Measure measure(String name) {
        Measure measure = measures.get(name);
        if (measure == null) {
            throw new FinhubException(ErrorCode.UNKNOWN_MEASURE, "unknown measure '%s'; known measures: %s"
                    .formatted(name, String.join(", ", measures.keySet())));
        }
        return measure;
    }

    public Dimension dimension(String name) {
        Dimension dimension = dimensions.get(name);
        if (dimension == null) {
            throw new FinhubException(ErrorCode.UNKNOWN_DIMENSION, "unknown dimension '%s'; known dimensions: %s"
                    .formatted(name, String.join(", ", dimensions.keySet())));
        }
        return dimension;
    }

    public Fact fact(String name) {
        Fact fact = facts.get(name);
        if (fact == null) {
            throw new IllegalArgumentException("unknown fact " + name);
        }
        return fact;
    }

    public Collection<Measure> measures() {
        return Collections.unmodifiableCollection(measures.values());
    }

    public Collection<Dimension> dimensions() {
        return Collections.unmodifiableCollection(dimensions.values());
    }

    /** The facts a measure reads, following derived measures to their base measures. */
    public Set<String> factsOf(Measure measure) {
        Set<String> result = new TreeSet<>();
        for (String base : measure.baseInputs(this)) {
            result.add(measures.get(base).fact().orElseThrow());
        }
        return result;
    }

    /** Dimensions a measure can be grouped or filtered by: those every fact it reads carries. */
    public List<String> allowedDimensions(Measure measure) {
        List<String> allowed = new ArrayList<>();
        for (String dimension : dimensions.keySet()) {
            if (factsOf(measure).stream().allMatch(fact -> facts.get(fact).hasDimension(dimension))) {
                allowed.add(dimension);
            }
        }
        return allowed;
    }
}
