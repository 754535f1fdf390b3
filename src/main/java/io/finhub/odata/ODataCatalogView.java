package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.Catalog;
import io.finhub.catalog.Dimension;
import io.finhub.catalog.Measure;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.Unit;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A pre-aggregated view generated from the catalog: fixed measures × dimensions × time grain, one
 * row per group, exactly the rows of the GraphQL {@code metrics} query for the same request. Its
 * columns are {@code Key} (the group, as text), {@code Period} and {@code PeriodLabel} (with a time
 * grain), each dimension and its label ({@code Campaign}, {@code CampaignName}) and each measure
 * under its catalog name in PascalCase ({@code roiPct} is {@code RoiPct}).
 */
final class ODataCatalogView implements ODataRowSource {
    static final String KEY = "Key";
    static final String PERIOD = "Period";
    static final String PERIOD_LABEL = "PeriodLabel";
    private static final Pattern ADDITIVE = Pattern.compile("-?sum\\(.*\\)|count\\(\\*\\)");

    private final MetricsService metrics;
    private final List<String> measures;
    private final List<String> dimensions;
    private final Optional<TimeGrain> grain;
    private final List<ODataColumn> columns = new ArrayList<>();
    private final Map<String, String> dimensionOfColumn = new LinkedHashMap<>();
    private final Map<String, String> labelColumns = new LinkedHashMap<>();
    private final Map<String, String> measureOfColumn = new LinkedHashMap<>();

    ODataCatalogView(MetricsService metrics, List<String> measures, List<String> dimensions, Optional<TimeGrain> grain) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.measures = List.copyOf(measures);
        this.dimensions = List.copyOf(dimensions);
        this.grain = requireNonNull(grain, "grain is null");
        Catalog catalog = metrics.catalog();
        columns.add(ODataColumn.string(KEY, false, "The group: period and dimension keys, each URL-encoded, ~ for none, comma-separated."));
        grain.ifPresent(value -> {
            columns.add(ODataColumn.date(PERIOD, true, "First day of the %s (fiscal quarters and years follow the fiscal calendar).".formatted(
                    value.name().toLowerCase())));
            columns.add(ODataColumn.string(PERIOD_LABEL, true, "The period as people write it: 2025-03, FY2025-Q1, FY2025."));
        });
        for (String name : dimensions) {
            Dimension dimension = catalog.dimension(name);
            String column = pascalCase(name);
            columns.add(ODataColumn.string(column, true, dimension.description()));
            dimensionOfColumn.put(column, name);
            if (dimension.hasLabel()) {
                String label = column + "Name";
                columns.add(ODataColumn.string(label, true, "Name of the " + name + "."));
                dimensionOfColumn.put(label, name);
                labelColumns.put(label, column);
            }
        }
        for (String name : measures) {
            Measure measure = catalog.measure(name);
            String column = pascalCase(name);
            columns.add(ODataColumn.decimal(column, scale(measure.unit()), measure.description() + " [catalog measure " + name + "]"));
            measureOfColumn.put(column, name);
        }
    }

    /** {@code roiPct} → {@code RoiPct}: catalog names as OData property names. */
    static String pascalCase(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The most decimals a measure of this unit has; OData clients read it from the Scale facet. */
    static int scale(Unit unit) {
        return switch (unit) {
            case CURRENCY -> 2;
            case PERCENT, RATIO, MONTHS -> 4;
            case COUNT -> 6;
        };
    }

    List<ODataColumn> columns() {
        return List.copyOf(columns);
    }

    List<String> measures() {
        return measures;
    }

    Optional<TimeGrain> grain() {
        return grain;
    }

    /** The catalog dimension a key or label column shows. */
    Optional<String> dimensionOf(String column) {
        return Optional.ofNullable(dimensionOfColumn.get(column));
    }

    /** The key column of a label column ({@code CampaignName} → {@code Campaign}). */
    Optional<String> keyOfLabel(String column) {
        return Optional.ofNullable(labelColumns.get(column));
    }

    Optional<String> measureOf(String column) {
        return Optional.ofNullable(measureOfColumn.get(column));
    }

    /** A measure whose value over a group is the sum of its values over the group's parts. */
    boolean additive(String measure) {
        Measure definition = metrics.catalog().measure(measure);
        return !definition.isDerived() && definition.aggregate().map(sql -> ADDITIVE.matcher(sql).matches()).orElse(false);
    }

    @Override
    public List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        for (MetricsRow row : query(dimensions, grain, List.of(), Optional.empty(), Optional.empty())) {
            rows.add(toValues(row));
        }
        return rows;
    }

    /**
     * Every group of the view's measures at a coarser grain: the catalog computes each measure for
     * the group from the facts, so ratios and distinct counts are right, not sums of the parts.
     */
    List<MetricsRow> query(List<String> groupDimensions, Optional<TimeGrain> groupGrain, List<Filter> filters, Optional<LocalDate> from,
            Optional<LocalDate> to) {
        List<MetricsRow> rows = new ArrayList<>();
        long total = Long.MAX_VALUE;
        while (rows.size() < total) {
            MetricsResult page = metrics.query(new MetricsRequest(measures, groupDimensions, filters, groupGrain, from, to, List.of(),
                    MetricsRequest.MAX_LIMIT, rows.size()));
            rows.addAll(page.rows());
            total = page.totalCount();
            if (page.rows().isEmpty()) {
                break;
            }
        }
        return rows;
    }

    private Object[] toValues(MetricsRow row) {
        Object[] values = new Object[columns.size()];
        int index = 0;
        values[index++] = key(row, grain.isPresent());
        if (grain.isPresent()) {
            values[index++] = row.period();
            values[index++] = row.periodLabel();
        }
        for (String name : dimensions) {
            values[index++] = row.dimensions().get(name);
            if (metrics.catalog().dimension(name).hasLabel()) {
                values[index++] = row.labels().get(name);
            }
        }
        for (String name : measures) {
            BigDecimal value = row.measures().get(name);
            values[index++] = value;
        }
        return values;
    }

    /** The group as text: its period (when grouped by time) and dimension keys, each URL-encoded, {@code ~} for none. */
    static String key(MetricsRow row, boolean withPeriod) {
        StringJoiner key = new StringJoiner(",");
        if (withPeriod) {
            key.add(keyPart(row.period() == null ? null : row.period().toString()));
        }
        row.dimensions().values().forEach(value -> key.add(keyPart(value)));
        return key.toString();
    }

    private static String keyPart(String value) {
        return value == null ? "~" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
