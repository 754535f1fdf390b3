package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.Catalog;
import io.finhub.catalog.Fact;
import io.finhub.catalog.Measure;
import io.finhub.error.FinhubException;
import io.finhub.store.DataChanged;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each rule reads, and whether it can be evaluated at all, worked out once per rule version:
 * the catalog is complete before the server serves, so neither changes until the rule does. This
 * keeps the work done on the committing thread (which rules does this change move?) to lookups.
 *
 * <p>A fact depends on the tables its {@code from} names, and on {@code fact_fx_rate} (conversion).
 * A derived fact (one with a refresh, or reading no {@code fact_} table) declares no inputs, so any
 * change may move it. A dataset that no fact reads and that is no fact or dimension table (a test
 * fixture, the seed, a feature's own table) is taken to touch everything.
 */
final class AlertDependencies {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_CACHED = 10_000;

    private final Catalog catalog;
    private final AlertRuleValidator validator;
    private final Map<AlertRule, Optional<FinhubException>> problems = new ConcurrentHashMap<>();
    private final Map<AlertRule, List<Fact>> factsRead = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> tablesByFact = new ConcurrentHashMap<>();
    private volatile Set<String> tablesReadByFacts;

    AlertDependencies(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.validator = new AlertRuleValidator(catalog);
    }

    AlertRuleValidator validator() {
        return validator;
    }

    /** Why the rule cannot be evaluated against the catalog, if it cannot. */
    Optional<FinhubException> problem(AlertRule rule) {
        return cached(problems, rule, () -> validator.problem(rule));
    }

    boolean readsDerivedFacts(AlertRule rule) {
        return facts(rule).stream().anyMatch(this::isDerived);
    }

    /** Whether a change of {@code datasets} can move what the rule reads (false for a rule that cannot be evaluated). */
    boolean movedBy(AlertRule rule, List<String> datasets) {
        if (problem(rule).isPresent()) {
            return false;
        }
        if (datasets.contains("fact_fx_rate") || datasets.stream().anyMatch(this::unknownDataset)) {
            return true;
        }
        return facts(rule).stream().anyMatch(fact -> isDerived(fact) || datasets.stream().anyMatch(tables(fact)::contains));
    }

    private boolean unknownDataset(String dataset) {
        return !dataset.startsWith("fact_") && !dataset.startsWith("dim_") && !DataChanged.RECORDS.contains(dataset) && !tablesReadByFacts().contains(dataset);
    }

    private List<Fact> facts(AlertRule rule) {
        if (problem(rule).isPresent()) {
            return List.of();
        }
        return cached(factsRead, rule, () -> rule.measures().stream()
                .map(catalog::measure)
                .flatMap(measure -> catalog.factsOf(measure).stream())
                .distinct()
                .map(catalog::fact)
                .toList());
    }

    private boolean isDerived(Fact fact) {
        return fact.refresh().isPresent() || tables(fact).stream().noneMatch(table -> table.startsWith("fact_"));
    }

    private Set<String> tablesReadByFacts() {
        Set<String> tables = tablesReadByFacts;
        if (tables == null) {
            Set<String> all = new HashSet<>();
            for (Measure measure : catalog.measures()) {
                catalog.factsOf(measure).forEach(fact -> all.addAll(tables(catalog.fact(fact))));
            }
            tables = Set.copyOf(all);
            tablesReadByFacts = tables;
        }
        return tables;
    }

    /** The identifiers in a fact's {@code from}: its tables, among aliases and keywords that never name a dataset. */
    private Set<String> tables(Fact fact) {
        return tablesByFact.computeIfAbsent(fact.name(), name -> {
            Set<String> tables = new HashSet<>();
            Matcher matcher = IDENTIFIER.matcher(fact.from());
            while (matcher.find()) {
                tables.add(matcher.group().toLowerCase(Locale.ROOT));
            }
            return Set.copyOf(tables);
        });
    }

    private static <V> V cached(Map<AlertRule, V> cache, AlertRule rule, Supplier<V> compute) {
        V value = cache.get(rule);
        if (value == null) {
            if (cache.size() > MAX_CACHED) {
                cache.clear();
            }
            value = compute.get();
            cache.put(rule, value);
        }
        return value;
    }
}
