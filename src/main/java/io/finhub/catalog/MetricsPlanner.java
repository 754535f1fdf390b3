package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsRequest.Order;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.security.Caller;
import io.finhub.security.DepartmentAccess;
import io.finhub.store.FiscalCalendar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Turns a {@link MetricsRequest} into one SQL statement. Each fact is aggregated to the requested
 * grain on its own and the aggregates are then combined (drill-across), so a join never fans out
 * and double counts. Only catalog text becomes SQL; every user value is a bound parameter.
 */
final class MetricsPlanner {
    private static final int MAX_MEASURES = 50;
    /**
     * Store tables whose rows belong to a department (their own {@code department_id}, or their campaign's or
     * programme's): a fact over one of them without a department column cannot be restricted.
     */
    private static final Pattern DEPARTMENT_TABLES = Pattern.compile("\\b(fact_spend|fact_budget|fact_gl_actual|fact_touchpoint|fact_cs_activity)\\b");

    private final Catalog catalog;
    private final FiscalCalendar calendar;
    private final String reportingCurrency;

    MetricsPlanner(Catalog catalog, FiscalCalendar calendar, String reportingCurrency) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
        this.reportingCurrency = requireNonNull(reportingCurrency, "reportingCurrency is null");
    }

    /**
     * Plans {@code request} for the caller bound to this thread ({@link Caller#current()}): a caller
     * restricted to some departments reads only their rows of every department-keyed fact, and is
     * refused a fact whose rows cannot be restricted.
     */
    MetricsPlan plan(MetricsRequest request) {
        return plan(request, Caller.current().departments());
    }

    MetricsPlan plan(MetricsRequest request, DepartmentAccess departments) {
        List<Measure> requested = validateMeasures(request);
        List<Dimension> dimensions = validateDimensions(request, requested);
        validateFilters(request, requested);
        validateRangeAndPage(request);

        List<Measure> baseMeasures = baseMeasures(requested);
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("reporting_currency", reportingCurrency);
        request.from().ifPresent(from -> parameters.put("range_from", from));
        request.to().ifPresent(to -> parameters.put("range_to_exclusive", to.plusDays(1)));
        // Facts in whole months: the months that end within the range (see Fact#wholeMonths).
        request.from().ifPresent(from -> parameters.put("range_from_month", from.withDayOfMonth(1)));
        request.to().ifPresent(to -> parameters.put("range_to_month_exclusive", to.plusDays(1).withDayOfMonth(1)));

        List<String> branches = new ArrayList<>();
        for (String factName : factsInOrder(baseMeasures)) {
            branches.add(branch(catalog.fact(factName), request, baseMeasures, parameters, departments));
        }
        String groups = combine(branches, dimensions.size(), baseMeasures.size());
        boolean sortInJava = request.orderBy().stream().anyMatch(order -> isDerivedMeasure(order.field(), requested));
        String page = page(groups, request, dimensions, baseMeasures, sortInJava, parameters);
        return new MetricsPlan(groups, page, parameters, request.timeGrain(), dimensions, baseMeasures, requested, sortInJava);
    }

    private List<Measure> validateMeasures(MetricsRequest request) {
        if (request.measures().isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "ask for at least one measure");
        }
        if (request.measures().size() > MAX_MEASURES) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "at most " + MAX_MEASURES + " measures per request");
        }
        if (new HashSet<>(request.measures()).size() != request.measures().size()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "a measure is listed twice: " + request.measures());
        }
        List<Measure> measures = request.measures().stream().map(catalog::measure).toList();
        for (Measure measure : measures) {
            measure.oneValueOf().filter(dimension -> !request.dimensions().contains(dimension) && !pinnedToOneValue(request, dimension))
                    .ifPresent(dimension -> {
                        throw new FinhubException(ErrorCode.BAD_REQUEST, ("%s counts each row once per %s: group by the dimension %s or filter it to one value "
                                + "(the per-%s measures, e.g. %sLastTouch, are pinned already)").formatted(measure.name(), dimension, dimension, dimension,
                                        measure.name()));
                    });
        }
        return measures;
    }

    /** Whether the request's filters leave {@code dimension} a single value (EQ, or IN with one value). */
    private static boolean pinnedToOneValue(MetricsRequest request, String dimension) {
        return request.filters().stream().anyMatch(filter -> filter.dimension().equals(dimension)
                && (filter.operator() == Operator.EQ || filter.operator() == Operator.IN) && filter.values().size() == 1);
    }

    private List<Dimension> validateDimensions(MetricsRequest request, List<Measure> measures) {
        if (new HashSet<>(request.dimensions()).size() != request.dimensions().size()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "a dimension is listed twice: " + request.dimensions());
        }
        List<Dimension> dimensions = new ArrayList<>();
        for (String name : request.dimensions()) {
            dimensions.add(catalog.dimension(name));
            requireAllowed(name, measures, "grouped");
        }
        return dimensions;
    }

    private void validateFilters(MetricsRequest request, List<Measure> measures) {
        for (Filter filter : request.filters()) {
            catalog.dimension(filter.dimension());
            requireAllowed(filter.dimension(), measures, "filtered");
            if (filter.values().isEmpty()) {
                throw new FinhubException(ErrorCode.INVALID_FILTER, "the filter on '%s' has no values".formatted(filter.dimension()));
            }
            boolean single = filter.operator() == MetricsRequest.Operator.EQ || filter.operator() == MetricsRequest.Operator.NE;
            if (single && filter.values().size() != 1) {
                throw new FinhubException(ErrorCode.INVALID_FILTER, "the %s filter on '%s' takes exactly one value, got %d"
                        .formatted(filter.operator(), filter.dimension(), filter.values().size()));
            }
            if (filter.values().stream().anyMatch(value -> value == null)) {
                throw new FinhubException(ErrorCode.INVALID_FILTER, "the filter on '%s' has a null value".formatted(filter.dimension()));
            }
        }
    }

    private void requireAllowed(String dimension, List<Measure> measures, String verb) {
        for (Measure measure : measures) {
            List<String> allowed = catalog.allowedDimensions(measure);
            if (!allowed.contains(dimension)) {
                throw new FinhubException(ErrorCode.DIMENSION_NOT_ALLOWED, "measure '%s' cannot be %s by dimension '%s'; its dimensions are: %s"
                        .formatted(measure.name(), verb, dimension, String.join(", ", allowed)));
            }
        }
    }

    private void validateRangeAndPage(MetricsRequest request) {
        if (request.from().isPresent() && request.to().isPresent() && request.from().get().isAfter(request.to().get())) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "the period starts (%s) after it ends (%s)"
                    .formatted(request.from().get(), request.to().get()));
        }
        MetricsRequest.checkPage(request.limit(), request.offset());
        for (Order order : request.orderBy()) {
            boolean known = order.field().equals("period") && request.timeGrain().isPresent()
                    || request.dimensions().contains(order.field())
                    || request.measures().contains(order.field());
            if (!known) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "cannot order by '%s': order by period (with a time grain), a requested dimension or a requested measure"
                        .formatted(order.field()));
            }
        }
    }

    private List<Measure> baseMeasures(List<Measure> requested) {
        Set<String> names = new LinkedHashSet<>();
        for (Measure measure : requested) {
            names.addAll(measure.isDerived() ? measure.baseInputs(catalog) : Set.of(measure.name()));
        }
        return names.stream().sorted().map(catalog::measure).toList();
    }

    private static List<String> factsInOrder(List<Measure> baseMeasures) {
        return baseMeasures.stream().map(measure -> measure.fact().orElseThrow()).distinct().toList();
    }

    private String branch(Fact fact, MetricsRequest request, List<Measure> baseMeasures, Map<String, Object> parameters, DepartmentAccess departments) {
        StringJoiner select = new StringJoiner(", ");
        select.add(request.timeGrain().map(grain -> calendar.periodStartSql(grain, fact.periodDate())).orElse("NULL::DATE") + " AS period");
        for (int index = 0; index < request.dimensions().size(); index++) {
            select.add(column(fact, request.dimensions().get(index), departments, parameters) + " AS d" + index);
        }
        boolean needsMoney = false;
        for (int index = 0; index < baseMeasures.size(); index++) {
            Measure measure = baseMeasures.get(index);
            if (measure.fact().orElseThrow().equals(fact.name())) {
                select.add(aggregate(measure, fact) + " AS m" + index);
                needsMoney |= measure.usesMoney();
            }
            else {
                select.add("NULL AS m" + index);
            }
        }
        String condition = where(fact, request, parameters, departments) + departmentCondition(fact, departments, parameters);
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append(" FROM ").append(FromClause.pruned(fact.from(), select + " " + condition));
        if (needsMoney) {
            sql.append(CurrencyConversion.join(fact.currencyColumn().orElseThrow(), "f." + fact.rateDate()));
        }
        sql.append(" WHERE ").append(condition);
        sql.append(" GROUP BY ALL");
        return sql.toString();
    }

    private String aggregate(Measure measure, Fact fact) {
        String aggregate = measure.usesMoney()
                ? measure.aggregate().orElseThrow().replace("$money", convertedAmount(fact))
                : measure.aggregate().orElseThrow();
        return measure.condition().map(condition -> "%s FILTER (WHERE %s)".formatted(aggregate, condition)).orElse(aggregate);
    }

    private static String convertedAmount(Fact fact) {
        String amount = fact.amountColumn().orElseThrow(() -> new IllegalStateException("fact " + fact.name() + " has no amount"));
        return CurrencyConversion.convertedAmount(amount, fact.currencyColumn().orElseThrow(), "f." + fact.rateDate());
    }

    /**
     * The SQL of {@code dimension} over {@code fact} for the caller. A fact without departments of its own (deals, by
     * their customer's acquisition campaign) shows a restricted caller only its departments' campaigns: another
     * department's reads as no campaign, grouped and filtered as such (its deals still count, under no campaign).
     */
    private static String column(Fact fact, String dimension, DepartmentAccess departments, Map<String, Object> parameters) {
        String column = fact.dimensionColumns().get(dimension);
        if (!dimension.equals("campaign") || !departments.restricted() || fact.dimensionColumns().containsKey("department")) {
            return column;
        }
        parameters.put("allowed_departments", departments.ids().stream().sorted().toArray(String[]::new));
        return "(CASE WHEN %1$s IN (SELECT campaign_id FROM dim_campaign WHERE department_id IN (SELECT unnest(CAST(:allowed_departments AS VARCHAR[])))) THEN %1$s END)"
                .formatted(column);
    }

    private String where(Fact fact, MetricsRequest request, Map<String, Object> parameters, DepartmentAccess departments) {
        List<String> conditions = new ArrayList<>();
        conditions.add("TRUE");
        request.from().ifPresent(from -> conditions.add("f." + fact.dateColumn() + (fact.wholeMonths() ? " >= :range_from_month" : " >= :range_from")));
        request.to().ifPresent(to -> conditions.add("f." + fact.dateColumn() + (fact.wholeMonths() ? " < :range_to_month_exclusive" : " < :range_to_exclusive")));
        for (int filterIndex = 0; filterIndex < request.filters().size(); filterIndex++) {
            Filter filter = request.filters().get(filterIndex);
            String column = column(fact, filter.dimension(), departments, parameters);
            List<String> names = new ArrayList<>();
            for (int valueIndex = 0; valueIndex < filter.values().size(); valueIndex++) {
                String name = "filter_%d_%d".formatted(filterIndex, valueIndex);
                parameters.put(name, filter.values().get(valueIndex));
                names.add(":" + name);
            }
            String list = String.join(", ", names);
            conditions.add(switch (filter.operator()) {
                case EQ -> column + " = " + list;
                case NE -> column + " IS DISTINCT FROM " + list;
                case IN -> column + " IN (" + list + ")";
                case NOT_IN -> "(" + column + " IS NULL OR " + column + " NOT IN (" + list + "))";
            });
        }
        return String.join(" AND ", conditions);
    }

    /** Row-level security: {@code AND <department column> IN (...)} for a restricted caller, nothing for one who sees every department. */
    private static String departmentCondition(Fact fact, DepartmentAccess departments, Map<String, Object> parameters) {
        if (!departments.restricted()) {
            return "";
        }
        String column = fact.dimensionColumns().get("department");
        if (column == null) {
            if (DEPARTMENT_TABLES.matcher(fact.from()).find()) {
                throw new FinhubException(ErrorCode.FORBIDDEN, ("the fact '%s' reads department rows it cannot restrict to your departments; "
                        + "ask for a measure of another fact, or use a token that sees every department").formatted(fact.name()));
            }
            return "";
        }
        parameters.put("allowed_departments", departments.ids().stream().sorted().toArray(String[]::new));
        return " AND " + column + " IN (SELECT unnest(CAST(:allowed_departments AS VARCHAR[])))";
    }

    private static String combine(List<String> branches, int dimensionCount, int measureCount) {
        if (branches.size() == 1) {
            return branches.get(0);
        }
        StringJoiner keys = new StringJoiner(", ");
        keys.add("period");
        for (int index = 0; index < dimensionCount; index++) {
            keys.add("d" + index);
        }
        StringJoiner measures = new StringJoiner(", ");
        for (int index = 0; index < measureCount; index++) {
            measures.add("sum(m%d) AS m%d".formatted(index, index));
        }
        StringJoiner union = new StringJoiner(" UNION ALL ");
        branches.forEach(branch -> union.add("(" + branch + ")"));
        return "SELECT %s, %s FROM (%s) GROUP BY %s".formatted(keys, measures, union, keys);
    }

    private String page(String groups, MetricsRequest request, List<Dimension> dimensions, List<Measure> baseMeasures,
            boolean sortInJava, Map<String, Object> parameters) {
        StringBuilder sql = new StringBuilder("WITH groups AS (").append(groups).append(") SELECT g.*");
        StringBuilder joins = new StringBuilder();
        for (int index = 0; index < dimensions.size(); index++) {
            Dimension dimension = dimensions.get(index);
            if (dimension.hasLabel()) {
                sql.append(", l%d.%s AS l%d".formatted(index, dimension.labelColumn().orElseThrow(), index));
                joins.append(" LEFT JOIN %s l%d ON l%d.%s = g.d%d".formatted(dimension.labelTable().orElseThrow(), index, index,
                        dimension.labelKey().orElseThrow(), index));
            }
            else {
                sql.append(", NULL::VARCHAR AS l").append(index);
            }
        }
        sql.append(", count(*) OVER () AS total_count FROM groups g").append(joins);
        sql.append(" ORDER BY ").append(orderClause(request, baseMeasures));
        if (!sortInJava) {
            sql.append(" LIMIT :page_limit OFFSET :page_offset");
            parameters.put("page_limit", request.limit());
            parameters.put("page_offset", request.offset());
        }
        return sql.toString();
    }

    private String orderClause(MetricsRequest request, List<Measure> baseMeasures) {
        List<String> terms = new ArrayList<>();
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("period", "g.period");
        for (int index = 0; index < request.dimensions().size(); index++) {
            columns.put(request.dimensions().get(index), "g.d" + index);
        }
        for (int index = 0; index < baseMeasures.size(); index++) {
            columns.put(baseMeasures.get(index).name(), "g.m" + index);
        }
        for (Order order : request.orderBy()) {
            String column = columns.get(order.field());
            if (column != null) {
                terms.add(column + (order.descending() ? " DESC NULLS LAST" : " ASC NULLS LAST"));
            }
        }
        // Always end on the full group key so pages are stable.
        terms.add("g.period ASC NULLS LAST");
        for (int index = 0; index < request.dimensions().size(); index++) {
            terms.add("g.d" + index + " ASC NULLS LAST");
        }
        return String.join(", ", terms);
    }

    private boolean isDerivedMeasure(String field, List<Measure> requested) {
        return requested.stream().anyMatch(measure -> measure.name().equals(field) && measure.isDerived());
    }

}
