package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static io.finhub.graphql.GraphqlArguments.objects;
import static io.finhub.graphql.GraphqlArguments.optional;
import static io.finhub.graphql.GraphqlArguments.strings;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.Dimension;
import io.finhub.catalog.Measure;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsRequest.Order;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.catalog.MetricsService;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fetchers of the core schema: {@code metrics}, {@code catalog}, {@code dataVersion}. */
public final class CatalogFetchers implements GraphqlModule {
    private final MetricsService metrics;
    private final Store store;

    public CatalogFetchers(MetricsService metrics, Store store) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.store = requireNonNull(store, "store is null");
    }

    record MeasureInfo(String name, String description, String unit, boolean derived, List<String> facts, List<String> dimensions) {}

    record DimensionInfo(String name, String description, List<String> measures) {}

    record CatalogInfo(List<MeasureInfo> measures, List<DimensionInfo> dimensions, List<String> timeGrains, String reportingCurrency,
            int fiscalYearStartMonth) {}

    record DimensionValue(String dimension, String value, String label) {}

    record MeasureValue(String measure, BigDecimal value, String unit) {}

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("metrics", metrics())
                .dataFetcher("catalog", environment -> catalogInfo())
                .dataFetcher("dataVersion", environment -> store.dataVersion()));
        wiring.type("MetricsResult", type -> type
                .dataFetcher("measures", this::requestedMeasures));
        wiring.type("MetricsRow", type -> type
                .dataFetcher("dimensions", environment -> dimensionValues(environment.getSource()))
                .dataFetcher("measures", environment -> measureValues(environment.getSource()))
                .dataFetcher("dimension", environment -> dimension(environment.getSource(), environment.getArgument("name")))
                .dataFetcher("value", environment -> value(environment.getSource(), environment.getArgument("measure"))));
    }

    private DataFetcher<MetricsResult> metrics() {
        return environment -> metrics.query(request(environment, store.calendar()));
    }

    static MetricsRequest request(DataFetchingEnvironment environment, FiscalCalendar calendar) {
        List<Filter> filters = filters(environment.getArgument("filters"));
        List<Order> orders = new ArrayList<>();
        for (Map<String, Object> order : objects(environment.getArgument("orderBy"))) {
            orders.add(new Order((String) order.get("field"), "DESC".equals(order.get("direction"))));
        }
        Optional<TimeGrain> grain = Optional.ofNullable(environment.getArgument("timeGrain"))
                .map(value -> enumValue(TimeGrain.class, value, "time grain"));
        Map<String, Object> period = environment.getArgument("period");
        LocalDate[] range = range(period == null ? Map.of() : period, calendar);
        Integer limit = environment.getArgument("limit");
        Integer offset = environment.getArgument("offset");
        return new MetricsRequest(strings(environment.getArgument("measures")), strings(environment.getArgument("dimensions")), filters, grain,
                Optional.ofNullable(range[0]), Optional.ofNullable(range[1]), orders, limit == null ? 1000 : limit, offset == null ? 0 : offset);
    }

    /** The [from, to] of a report field's {@code period} argument plus its {@code fiscalYear} shorthand. */
    static LocalDate[] reportRange(DataFetchingEnvironment environment, FiscalCalendar calendar) {
        Map<String, Object> period = new HashMap<>(Optional.ofNullable(environment.<Map<String, Object>>getArgument("period")).orElse(Map.of()));
        Integer fiscalYear = environment.getArgument("fiscalYear");
        if (fiscalYear != null) {
            if (period.containsKey("fiscalYear") && !fiscalYear.equals(period.get("fiscalYear"))) {
                throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "fiscalYear and period.fiscalYear disagree");
            }
            period.put("fiscalYear", fiscalYear);
        }
        return range(period, calendar);
    }

    static List<Filter> filters(Object argument) {
        List<Filter> filters = new ArrayList<>();
        for (Map<String, Object> filter : objects(argument)) {
            filters.add(new Filter((String) filter.get("dimension"), enumValue(Operator.class, filter.getOrDefault("operator", "IN"), "filter operator"),
                    strings(filter.get("values"))));
        }
        return filters;
    }

    /** The inclusive [from, to] of a PeriodInput; either end may be null (unbounded). */
    static LocalDate[] range(Map<String, Object> period, FiscalCalendar calendar) {
        Optional<Integer> fiscalYear = optional(period, "fiscalYear", Integer.class);
        Optional<Integer> fiscalQuarter = optional(period, "fiscalQuarter", Integer.class);
        Optional<LocalDate> from = optional(period, "from", LocalDate.class);
        Optional<LocalDate> to = optional(period, "to", LocalDate.class);
        if (fiscalQuarter.isPresent() && fiscalYear.isEmpty()) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "period.fiscalQuarter needs period.fiscalYear");
        }
        if (fiscalYear.isEmpty()) {
            return new LocalDate[] {from.orElse(null), to.orElse(null)};
        }
        if (from.isPresent() || to.isPresent()) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "give either period.fiscalYear or period.from/to, not both");
        }
        if (fiscalYear.get() < 1900 || fiscalYear.get() > 2200) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "period.fiscalYear " + fiscalYear.get() + " is out of range");
        }
        LocalDate start = calendar.fiscalYearStart(fiscalYear.get());
        if (fiscalQuarter.isEmpty()) {
            return new LocalDate[] {start, start.plusYears(1).minusDays(1)};
        }
        int quarter = fiscalQuarter.get();
        if (quarter < 1 || quarter > 4) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "period.fiscalQuarter must be 1..4, was " + quarter);
        }
        LocalDate quarterStart = start.plusMonths(3L * (quarter - 1));
        return new LocalDate[] {quarterStart, quarterStart.plusMonths(3).minusDays(1)};
    }

    private List<MeasureInfo> requestedMeasures(DataFetchingEnvironment environment) {
        Catalog catalog = metrics.catalog();
        List<String> names = strings(environment.getExecutionStepInfo().getParent().getArgument("measures"));
        return names.stream().map(catalog::measure).map(measure -> measureInfo(catalog, measure)).toList();
    }

    private CatalogInfo catalogInfo() {
        Catalog catalog = metrics.catalog();
        List<MeasureInfo> measures = catalog.measures().stream().map(measure -> measureInfo(catalog, measure)).toList();
        List<DimensionInfo> dimensions = new ArrayList<>();
        for (Dimension dimension : catalog.dimensions()) {
            List<String> usable = catalog.measures().stream()
                    .filter(measure -> catalog.allowedDimensions(measure).contains(dimension.name()))
                    .map(Measure::name)
                    .toList();
            dimensions.add(new DimensionInfo(dimension.name(), dimension.description(), usable));
        }
        return new CatalogInfo(measures, dimensions, Arrays.stream(TimeGrain.values()).map(Enum::name).toList(),
                store.config().reportingCurrency(), store.calendar().startMonth());
    }

    private static MeasureInfo measureInfo(Catalog catalog, Measure measure) {
        return new MeasureInfo(measure.name(), measure.description(), measure.unit().name(), measure.isDerived(),
                List.copyOf(catalog.factsOf(measure)), catalog.allowedDimensions(measure));
    }

    private static List<DimensionValue> dimensionValues(MetricsRow row) {
        return row.dimensions().entrySet().stream()
                .map(entry -> new DimensionValue(entry.getKey(), entry.getValue(), row.labels().get(entry.getKey())))
                .toList();
    }

    private List<MeasureValue> measureValues(MetricsRow row) {
        return row.measures().entrySet().stream()
                .map(entry -> new MeasureValue(entry.getKey(), entry.getValue(), metrics.catalog().measure(entry.getKey()).unit().name()))
                .toList();
    }

    private static String dimension(MetricsRow row, String name) {
        if (!row.dimensions().containsKey(name)) {
            throw new FinhubException(ErrorCode.UNKNOWN_DIMENSION, "dimension '%s' was not requested; requested: %s".formatted(name, row.dimensions().keySet()));
        }
        return row.dimensions().get(name);
    }

    private static BigDecimal value(MetricsRow row, String measure) {
        if (!row.measures().containsKey(measure)) {
            throw new FinhubException(ErrorCode.UNKNOWN_MEASURE, "measure '%s' was not requested; requested: %s".formatted(measure, row.measures().keySet()));
        }
        return row.measures().get(measure);
    }
}
