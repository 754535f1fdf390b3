package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.attribution.AttributionReport.ComparisonRow;
import io.finhub.attribution.AttributionReport.ModelResult;
import io.finhub.attribution.AttributionReport.RemovalEffect;
import io.finhub.attribution.AttributionReport.Row;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.security.DepartmentAccess;
import io.finhub.store.DataChanged;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marketing multi-touch attribution: answers reports and journey drill-downs from the derived
 * tables, building what is missing for the current data version first. After every committed
 * change it rebuilds the configured results on {@code executor}, so the catalog's attribution
 * measures and the next report find them ready.
 */
public final class AttributionService {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionService.class);
    /** The tables the marketing results are computed from; labels and names are read when answering. */
    static final Set<String> INPUTS = Set.of("fact_touchpoint", "fact_conversion", "fact_fx_rate");
    private static final LocalDate EARLIEST = LocalDate.of(1, 1, 1);
    private static final LocalDate LATEST = LocalDate.of(9999, 12, 31);

    private final Store store;
    private final AttributionBuilds builds;
    private final Executor executor;

    public AttributionService(Store store, AttributionSettings configured, AttributionEvents events, Executor executor) {
        this.store = requireNonNull(store, "store is null");
        this.builds = new AttributionBuilds(store, configured, events);
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Rebuilds after every committed change, from now on, and once now if the stored results are stale. */
    public void start() {
        store.onDataChanged(this::dataChanged);
        executor.execute(this::refreshQuietly);
    }

    public AttributionSettings configuredSettings() {
        return builds.configured();
    }

    /** Brings the configured results of every model to the current data version (the catalog's refresh hook). */
    public void refresh() {
        builds.ensure(builds.configured(), Arrays.asList(AttributionModel.values()));
    }

    /**
     * True when {@code change} may alter results computed from {@code inputs}: it names one of them, or
     * a dataset that is not a known table (a fixture, a whole seed), which could be anything.
     */
    static boolean affects(DataChanged change, Set<String> inputs) {
        return affects(change.datasets(), inputs);
    }

    static boolean affects(List<String> datasets, Set<String> inputs) {
        return datasets.stream().anyMatch(dataset -> inputs.contains(dataset)
                || !(dataset.startsWith("fact_") || dataset.startsWith("dim_") || DataChanged.RECORDS.contains(dataset)));
    }

    private void dataChanged(DataChanged change) {
        if (affects(change, INPUTS)) {
            executor.execute(this::refreshQuietly);
            return;
        }
        executor.execute(() -> {
            try {
                builds.relabel(change.version() - 1, change.version());
            }
            catch (RuntimeException e) {
                LOG.warn("attribution results of version {} could not be carried to version {}; they will be rebuilt when read",
                        change.version() - 1, change.version(), e);
            }
        });
    }

    private void refreshQuietly() {
        try {
            refresh();
        }
        catch (RuntimeException e) {
            LOG.warn("attribution results could not be rebuilt; they will be on the next request", e);
        }
    }

    /** The report over every department's campaigns, for callers that see every department. */
    public AttributionReport report(AttributionQuery query) {
        return report(query, DepartmentAccess.ALL);
    }

    /**
     * The report as {@code departments} may see it. A credit belongs to the department of the campaign
     * of the credited touch, as the catalog's {@code attribution} fact says; a credit of a touch without
     * a campaign belongs to none. A restricted caller therefore gets only the credits of its
     * departments' campaigns (each model's figures are the sum of those rows, as {@code metrics} gives
     * them), attributable conversions and revenue of only the conversions with such a touch on their
     * path, no unattributed conversions (they have no touch, so no department), and no Markov
     * removal effects (the chain is learned from every department's touches).
     */
    public AttributionReport report(AttributionQuery query, DepartmentAccess departments) {
        requireNonNull(query, "query is null");
        requireNonNull(departments, "departments is null");
        return builds.read(query.settings(), query.models(), build -> store.jdbi().withHandle(handle -> {
            Totals totals = totals(handle, build, query, departments);
            Map<AttributionModel, List<Row>> rows = rows(handle, build, query, departments, totals);
            List<ModelResult> results = new ArrayList<>();
            for (AttributionModel model : query.models()) {
                List<Row> modelRows = rows.getOrDefault(model, List.of());
                BigDecimal conversions = modelRows.stream().map(Row::attributedConversions).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal revenue = modelRows.stream().map(Row::attributedRevenue).reduce(BigDecimal.ZERO, BigDecimal::add);
                List<RemovalEffect> effects = model == AttributionModel.MARKOV && !departments.restricted() ? removalEffects(handle, build, totals) : List.of();
                results.add(new ModelResult(model, conversions, revenue, revenue.compareTo(totals.revenue()) == 0, modelRows, effects));
            }
            return new AttributionReport(query.grouping(), store.config().reportingCurrency(), build.dataVersion(), build.settings(), query.from(),
                    query.to(), totals.conversions(), totals.revenue(), totals.unattributedConversions(), totals.unattributedRevenue(), results,
                    comparison(query.models(), rows));
        }));
    }

    private record Totals(long conversions, BigDecimal revenue, long unattributedConversions, BigDecimal unattributedRevenue) {}

    /** Each file's condition that a row is of the caller's departments, for a caller who sees only some ({@code {visible}}; true for the others). */
    private static final Map<String, String> VISIBLE = Map.of(
            "report_rows", "c.campaign_id IN (SELECT campaign_id FROM dim_campaign WHERE list_contains(:departments, department_id))",
            "report_totals", "EXISTS (SELECT 1 FROM attribution_touch t JOIN dim_campaign owner ON owner.campaign_id = t.campaign_id "
                    + "WHERE t.build_id = attribution_conversion.build_id AND t.conversion_id = attribution_conversion.conversion_id "
                    + "AND list_contains(:departments, owner.department_id))",
            "journey_touches", "coalesce(list_contains(:departments, cp.department_id), false)");

    private static Query filtered(Handle handle, String sqlFile, AttributionBuilds.Build build, AttributionQuery query, DepartmentAccess departments) {
        return visibleTo(handle, sqlFile, departments)
                .bind("build_id", build.id())
                .bind("range_from", query.from().orElse(EARLIEST).atStartOfDay())
                .bind("range_to_exclusive", query.to().orElse(LATEST.minusDays(1)).plusDays(1).atStartOfDay())
                .bind("all_deal_types", query.dealTypes().isEmpty())
                .bindArray("deal_types", String.class, query.dealTypes());
    }

    /** The query of {@code sqlFile}, restricted to the campaigns of the caller's departments when it sees only some. */
    private static Query visibleTo(Handle handle, String sqlFile, DepartmentAccess departments) {
        if (!departments.restricted()) {
            return handle.createQuery(AttributionSql.file(sqlFile).replace("{visible}", "true"));
        }
        return handle.createQuery(AttributionSql.file(sqlFile).replace("{visible}", VISIBLE.get(sqlFile)))
                .bindArray("departments", String.class, departments.ids().stream().sorted().toList());
    }

    private static Totals totals(Handle handle, AttributionBuilds.Build build, AttributionQuery query, DepartmentAccess departments) {
        return filtered(handle, "report_totals", build, query, departments)
                .map((rs, context) -> new Totals(rs.getLong(1), rs.getBigDecimal(2), rs.getLong(3), rs.getBigDecimal(4)))
                .one();
    }

    private static Map<AttributionModel, List<Row>> rows(Handle handle, AttributionBuilds.Build build, AttributionQuery query, DepartmentAccess departments,
            Totals totals) {
        Map<AttributionModel, List<Row>> rows = new EnumMap<>(AttributionModel.class);
        filtered(handle, "report_rows", build, query, departments)
                .bindArray("models", String.class, query.models().stream().map(Enum::name).toList())
                .bind("by_campaign", query.grouping() == AttributionGrouping.CAMPAIGN)
                .map((rs, context) -> {
                    BigDecimal conversions = rs.getBigDecimal("conversions");
                    BigDecimal revenue = rs.getBigDecimal("revenue");
                    Row row = new Row(rs.getString("group_key"), rs.getString("label"), rs.getString("channel_id"), conversions, revenue,
                            ratio(revenue, totals.revenue()), ratio(conversions, BigDecimal.valueOf(totals.conversions())));
                    return Map.entry(AttributionModel.valueOf(rs.getString("model")), row);
                })
                .forEach(entry -> rows.computeIfAbsent(entry.getKey(), model -> new ArrayList<>()).add(entry.getValue()));
        Comparator<Row> byRevenue = Comparator.comparing(Row::attributedRevenue).reversed()
                .thenComparing(Row::key, Comparator.nullsLast(Comparator.naturalOrder()));
        rows.values().forEach(list -> list.sort(byRevenue));
        return rows;
    }

    private static List<ComparisonRow> comparison(List<AttributionModel> models, Map<AttributionModel, List<Row>> rows) {
        Map<String, Map<AttributionModel, Row>> byKey = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (AttributionModel model : models) {
            for (Row row : rows.getOrDefault(model, List.of())) {
                byKey.computeIfAbsent(row.key(), key -> new EnumMap<>(AttributionModel.class)).put(model, row);
                labels.putIfAbsent(row.key(), row.label());
            }
        }
        List<ComparisonRow> comparison = new ArrayList<>();
        byKey.forEach((key, values) -> comparison.add(new ComparisonRow(key, labels.get(key), values)));
        return comparison;
    }

    private static List<RemovalEffect> removalEffects(Handle handle, AttributionBuilds.Build build, Totals totals) {
        record Effect(String channel, String label, BigDecimal effect, BigDecimal probability) {}
        List<Effect> effects = handle.createQuery(AttributionSql.file("removal_effects"))
                .bind("build_id", build.id())
                .map((rs, context) -> new Effect(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getBigDecimal(4)))
                .list();
        BigDecimal sum = effects.stream().map(Effect::effect).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<RemovalEffect> result = new ArrayList<>();
        for (Effect effect : effects) {
            BigDecimal share = sum.signum() == 0 ? BigDecimal.ZERO : effect.effect().divide(sum, 12, RoundingMode.HALF_EVEN);
            BigDecimal conversions = BigDecimal.valueOf(totals.conversions()).multiply(share).setScale(6, RoundingMode.HALF_EVEN);
            result.add(new RemovalEffect(effect.channel(), effect.label(), effect.effect().setScale(12, RoundingMode.HALF_EVEN),
                    share, conversions, effect.probability().setScale(12, RoundingMode.HALF_EVEN)));
        }
        return result;
    }

    private static BigDecimal ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? BigDecimal.ZERO.setScale(6) : part.divide(whole, 6, RoundingMode.HALF_EVEN);
    }

    private record Header(String journeyId, String customerId, String dealType, java.time.Instant convertedAt, BigDecimal amount, String currencyCode,
            BigDecimal revenue) {}

    /** The touches of one conversion's path and each model's credit for each touch, for callers that see every department. */
    public AttributionJourney journey(String conversionId, List<AttributionModel> models, AttributionSettings settings) {
        return journey(conversionId, models, settings, DepartmentAccess.ALL);
    }

    /**
     * The touches of one conversion's path that {@code departments} may see (for a restricted caller:
     * those of its departments' campaigns, keeping their place in the path) and each model's credit
     * for each. The conversion itself is a deal, which belongs to no department.
     */
    public AttributionJourney journey(String conversionId, List<AttributionModel> models, AttributionSettings settings, DepartmentAccess departments) {
        requireNonNull(conversionId, "conversionId is null");
        requireNonNull(departments, "departments is null");
        return builds.read(settings, models, build -> store.jdbi().withHandle(handle -> {
            Header header = handle.createQuery("""
                            SELECT journey_id, customer_id, deal_type, converted_at, amount, currency_code, amount_reporting
                            FROM attribution_conversion WHERE build_id = :build_id AND conversion_id = :conversion_id""")
                    .bind("build_id", build.id())
                    .bind("conversion_id", conversionId)
                    .map((rs, context) -> new Header(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            rs.getBigDecimal(5), rs.getString(6), rs.getBigDecimal(7)))
                    .findOne()
                    .orElseThrow(() -> new FinhubException(ErrorCode.NOT_FOUND, "no conversion '%s'".formatted(conversionId)));
            Map<Integer, List<AttributionJourney.Credit>> credits = new LinkedHashMap<>();
            handle.createQuery(AttributionSql.file("journey_credits"))
                    .bind("build_id", build.id())
                    .bind("conversion_id", conversionId)
                    .bindArray("models", String.class, models.stream().map(Enum::name).toList())
                    .map((rs, context) -> Map.entry(rs.getInt("touch_seq"),
                            new AttributionJourney.Credit(AttributionModel.valueOf(rs.getString("model")), rs.getBigDecimal("credit"), rs.getBigDecimal("attributed_amount"))))
                    .forEach(entry -> credits.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue()));
            List<AttributionJourney.Touch> touches = visibleTo(handle, "journey_touches", departments)
                    .bind("build_id", build.id())
                    .bind("conversion_id", conversionId)
                    .map((rs, context) -> new AttributionJourney.Touch(rs.getInt("touch_seq"), rs.getString("touchpoint_id"), rs.getString("journey_id"),
                            rs.getString("channel_id"), rs.getString("channel_name"), rs.getString("campaign_id"), rs.getString("campaign_name"),
                            rs.getObject("touched_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            BigDecimal.valueOf(rs.getLong("seconds_before")).divide(BigDecimal.valueOf(86_400), 3, RoundingMode.HALF_EVEN),
                            inModelOrder(credits.getOrDefault(rs.getInt("touch_seq"), List.of()), models)))
                    .list();
            return new AttributionJourney(conversionId, header.journeyId(), header.customerId(), header.dealType(), header.convertedAt(),
                    header.amount(), header.currencyCode(), header.revenue(),
                    store.config().reportingCurrency(), build.dataVersion(), build.settings(), touches);
        }));
    }

    /** Every requested model's credit for a touch, zero where the model gives the touch nothing. */
    private static List<AttributionJourney.Credit> inModelOrder(List<AttributionJourney.Credit> credits, List<AttributionModel> models) {
        List<AttributionJourney.Credit> ordered = new ArrayList<>();
        for (AttributionModel model : models) {
            ordered.add(credits.stream().filter(credit -> credit.model() == model).findFirst()
                    .orElse(new AttributionJourney.Credit(model, new BigDecimal("0.000000"), new BigDecimal("0.00"))));
        }
        return ordered;
    }
}
