package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Answers metrics requests: plans them, runs the SQL on the store, computes derived measures exactly
 * and rounds them once, as reports show them ({@link Measure#rounded}).
 */
public final class MetricsService {
    /** How often a query is read again when a change commits while it is read, before it gives up. */
    static final int MAX_ATTEMPTS = 5;

    private final Store store;
    private final Catalog catalog;
    private final MetricsPlanner planner;

    public MetricsService(Store store, Catalog catalog) {
        this.store = requireNonNull(store, "store is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.planner = new MetricsPlanner(catalog, store.calendar(), store.config().reportingCurrency());
    }

    public Catalog catalog() {
        return catalog;
    }

    public MetricsResult query(MetricsRequest request) {
        return query(request, true);
    }

    /**
     * As {@link #query}, with derived measures left unrounded: what an alert rule compares with its
     * threshold, so that a percentage past it by less than the last shown place is past it.
     */
    public MetricsResult queryUnrounded(MetricsRequest request) {
        return query(request, false);
    }

    /**
     * Brings the derived facts the plan reads to the current data version, then reads every fact in
     * one transaction that checks it sees that version: a change committed between the two would
     * otherwise join the new version's live facts with derived facts of the one before (an alert read
     * a campaign's new spend with its attribution of the version before and fired on a ROI of -100 %
     * that no version had) and label the mix with the newer version. Then everything is done again.
     */
    private MetricsResult query(MetricsRequest request, boolean rounded) {
        MetricsPlan plan = planner.plan(requireNonNull(request, "request is null"));
        List<Fact> facts = plan.baseMeasures().stream()
                .map(measure -> catalog.fact(measure.fact().orElseThrow()))
                .distinct()
                .toList();
        try {
            for (int attempt = 1; ; attempt++) {
                long version = store.dataVersion();
                facts.forEach(fact -> fact.refresh().ifPresent(Runnable::run));
                Optional<MetricsResult> result = store.jdbi().inTransaction(handle -> Store.committedVersion(handle) == version
                        ? Optional.of(run(handle, plan, request, version, rounded))
                        : Optional.empty());
                if (result.isPresent()) {
                    return result.get();
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new FinhubException(ErrorCode.DATA_CHANGING,
                            "the data changed %d times while this query was read; ask again".formatted(MAX_ATTEMPTS));
                }
            }
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }

    private MetricsResult run(Handle handle, MetricsPlan plan, MetricsRequest request, long version, boolean rounded) {
        List<MetricsRow> rows = new ArrayList<>();
        long[] totalCount = {0};
        try (Query query = bind(handle.createQuery(plan.pageSql()), plan.parameters())) {
            query.map((resultSet, context) -> {
                totalCount[0] = resultSet.getLong("total_count");
                return toRow(resultSet, plan, rounded);
            }).forEach(rows::add);
        }
        if (plan.sortInJava()) {
            rows.sort(comparator(request));
            int from = Math.min(request.offset(), rows.size());
            int to = Math.min(from + request.limit(), rows.size());
            rows = new ArrayList<>(rows.subList(from, to));
        }
        else if (rows.isEmpty() && request.offset() > 0) {
            try (Query query = bind(handle.createQuery("SELECT count(*) FROM (" + plan.groupsSql() + ")"), plan.parameters())) {
                totalCount[0] = query.mapTo(Long.class).one();
            }
        }
        return new MetricsResult(rows, totalCount[0], version, store.config().reportingCurrency());
    }

    private static Query bind(Query query, Map<String, Object> parameters) {
        parameters.forEach(query::bind);
        return query;
    }

    private MetricsRow toRow(ResultSet resultSet, MetricsPlan plan, boolean rounded) throws SQLException {
        LocalDate period = resultSet.getObject("period", LocalDate.class);
        String periodLabel = plan.grain().map(grain -> period == null ? null : store.calendar().label(grain, period)).orElse(null);
        Map<String, String> dimensions = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (int index = 0; index < plan.dimensions().size(); index++) {
            String name = plan.dimensions().get(index).name();
            dimensions.put(name, resultSet.getString("d" + index));
            labels.put(name, resultSet.getString("l" + index));
        }
        Map<String, BigDecimal> base = new LinkedHashMap<>();
        for (int index = 0; index < plan.baseMeasures().size(); index++) {
            base.put(plan.baseMeasures().get(index).name(), resultSet.getBigDecimal("m" + index));
        }
        Map<String, BigDecimal> measures = new LinkedHashMap<>();
        for (Measure measure : plan.requestedMeasures()) {
            BigDecimal value = value(measure, base);
            measures.put(measure.name(), rounded ? measure.rounded(value) : value);
        }
        return new MetricsRow(period, periodLabel, dimensions, labels, measures);
    }

    private BigDecimal value(Measure measure, Map<String, BigDecimal> base) {
        if (!measure.isDerived()) {
            return base.get(measure.name());
        }
        List<BigDecimal> inputs = new ArrayList<>();
        for (String input : measure.inputs()) {
            inputs.add(value(catalog.measure(input), base));
        }
        Optional<BigDecimal> result = measure.formula().orElseThrow().apply(inputs);
        return result.orElse(null);
    }

    private static Comparator<MetricsRow> comparator(MetricsRequest request) {
        Comparator<MetricsRow> comparator = (left, right) -> 0;
        for (MetricsRequest.Order order : request.orderBy()) {
            Comparator<MetricsRow> next = Comparator.comparing(row -> sortKey(row, order.field()),
                    Comparator.nullsLast(order.descending() ? Comparator.<Comparable<Object>>reverseOrder() : Comparator.<Comparable<Object>>naturalOrder()));
            comparator = comparator.thenComparing(next);
        }
        return comparator;
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> sortKey(MetricsRow row, String field) {
        if (field.equals("period")) {
            return (Comparable<Object>) (Comparable<?>) row.period();
        }
        if (row.dimensions().containsKey(field)) {
            return (Comparable<Object>) (Comparable<?>) row.dimensions().get(field);
        }
        return (Comparable<Object>) (Comparable<?>) row.measures().get(field);
    }
}
