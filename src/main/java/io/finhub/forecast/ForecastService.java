package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.forecast.ForecastIntervals.Outcome;
import io.finhub.forecast.ForecastModels.Scope;
import io.finhub.security.DepartmentAccess;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Health-weighted renewal and expansion forecasting: renewal probabilities from the company's own
 * renewal history ({@link RenewalModel}), expected renewal ARR and expansion pipeline with P10 / P50
 * / P90 ranges ({@link ForecastIntervals}), scenarios, and customer-success adjustments shown beside
 * the model figures. The portfolio is scored and summed inside DuckDB, so it stays fast for hundreds
 * of thousands of contracts.
 */
public final class ForecastService {
    public static final int MAX_HORIZON_QUARTERS = 4;
    static final BigDecimal DEFAULT_CHURN_SHOCK = new BigDecimal("0.20");
    static final int DEFAULT_HEALTH_SHIFT = 10;
    /** The case columns renewal lines keep when they are not listed: the figures' and the scenarios' (the signals the model scores). */
    private static final String FIGURE_COLUMNS = "m.contract_id, m.segment, m.end_date, m.renewal_quarter_start, m.amount_reporting, m.health_score, "
            + "m.health_trend, m.seat_utilization, m.feature_adoption, m.tenure_years, m.escalations, m.success_programme, m.probability_source, "
            + "m.model_probability";
    private static final String EXPANSION_LINES = io.finhub.support.ClasspathResources.read("io/finhub/forecast/expansion_lines.sql");
    private static final String GROUPS = io.finhub.support.ClasspathResources.read("io/finhub/forecast/forecast_groups.sql");

    private final Store store;
    private final ForecastModels models;
    private final ForecastAdjustments adjustments;
    private final ForecastBacktests backtests;
    private final ForecastHealthSignals signals;

    public ForecastService(Store store, Clock clock, ForecastEvents events) {
        this.store = requireNonNull(store, "store is null");
        this.models = new ForecastModels(store, requireNonNull(clock, "clock is null"));
        this.adjustments = new ForecastAdjustments(store, clock, requireNonNull(events, "events is null"), this);
        this.backtests = new ForecastBacktests(store, clock, models);
        this.signals = new ForecastHealthSignals(store, clock, events, this);
    }

    /**
     * Compares the open renewals of the current forecast with the last comparison and publishes a
     * health trend signal ({@link HealthTrendSignal}) for each whose health moved; a failure is logged.
     * The server calls it after the derived tables are rebuilt after each change, and once at start.
     */
    public void publishHealthSignalsQuietly() {
        signals.publishQuietly();
    }

    /** Brings the stored cases and model up to date (see {@link #refresh()}); returns the facts version they stand on. */
    long refreshedFactsVersion() {
        long version = models.refresh();
        models.prepareHistory();
        return version;
    }

    /** Compares the current forecast's open renewals with the last comparison now and publishes the health trend signals; see {@link ForecastHealthSignals}. */
    List<HealthTrendSignal> publishHealthSignals() {
        return signals.publish();
    }

    /** Writes the figure lines of the current forecast (default request) to {@code forecast_renewal_line}; returns the facts version they stand on. */
    long prepareCurrentLines(Handle handle) {
        return lines(handle, ForecastRequest.defaults(), Optional.empty(), false).factsVersion();
    }

    /**
     * Builds the renewal cases and model for the current facts, unless they are built already, and
     * holds their decided cases in memory for back-dated days' models; the server runs it in the
     * background after each change, so the first forecast finds them ready.
     */
    public void refresh() {
        models.refresh();
        models.prepareHistory();
    }

    /**
     * Drops the kept cases of every back-dated day (see {@link BackDatedCases}); for a store no server
     * has open. The benchmark starts each run without them, so that its new days are new.
     *
     * @return how many days' cases were dropped
     */
    public static int forgetBackDatedDays(Store store) {
        // One statement each: the tables are in two databases (the scratch catalog and, from older releases, the file).
        return store.jdbi().withHandle(handle -> {
            List<String> tables = BackDatedCases.storedTables(store, handle);
            tables.forEach(table -> handle.execute("DROP TABLE IF EXISTS " + table));
            return tables.size();
        });
    }

    /** The forecast of the whole portfolio, by quarter, segment and both, with scenarios. */
    public PortfolioForecast portfolio(ForecastRequest request) {
        requireNonNull(request, "request is null");
        checkHorizon(request.horizonQuarters());
        return run(handle -> {
            Scope scope = lines(handle, request, Optional.empty(), false);
            Groups groups = groups(handle, scope, Optional.empty());
            List<ScenarioResult> scenarios = scenarios(handle, scope, request.scenarios().orElseGet(() -> defaultScenarios(handle)), groups.total());
            return new PortfolioForecast(scope.asOf(), scope.horizonEnd(), currency(), store.dataVersion(),
                    scope.model().map(RenewalModel::summary).orElse(null), groups.total(), groups.byQuarter(), groups.bySegment(),
                    groups.bySegmentAndQuarter(), scenarios);
        });
    }

    /**
     * Every renewal of the portfolio forecast, contract by contract, model and adjusted side by side:
     * the lines {@link #portfolio} adds up (its renewal figures are the sums of these lines).
     */
    public List<RenewalLine> renewals(ForecastRequest request) {
        requireNonNull(request, "request is null");
        checkHorizon(request.horizonQuarters());
        return run(handle -> {
            Scope scope = lines(handle, request, Optional.empty(), true);
            return renewalLines(handle, scope);
        });
    }

    /** One customer's forecast, line by line, with each renewal probability explained factor by factor. */
    public CustomerForecast forecast(String customerId, ForecastRequest request) {
        requireNonNull(customerId, "customerId is null");
        requireNonNull(request, "request is null");
        checkHorizon(request.horizonQuarters());
        return run(handle -> {
            String[] customer = handle.createQuery("SELECT customer_name, segment FROM dim_customer WHERE customer_id = :id")
                    .bind("id", customerId)
                    .map((row, context) -> new String[] {row.getString(1), row.getString(2)})
                    .findOne()
                    .orElseThrow(() -> new FinhubException(ErrorCode.NOT_FOUND, "no customer " + customerId));
            Scope scope = lines(handle, request, Optional.of(customerId), true);
            Groups groups = groups(handle, scope, Optional.of(customerId));
            List<ScenarioResult> scenarios = scenarios(handle, scope, request.scenarios().orElseGet(() -> defaultScenarios(handle)), groups.total());
            return new CustomerForecast(customerId, customer[0], customer[1], scope.asOf(), scope.horizonEnd(), currency(), store.dataVersion(),
                    groups.total(), groups.byQuarter(), renewalLines(handle, scope), expansionLines(handle), scenarios);
        });
    }

    /** The renewal model as of {@code asOf} (default: the day the data runs to): what it learned from and its weights. */
    public Optional<RenewalModelSummary> model(Optional<LocalDate> asOf) {
        return run(handle -> {
            try (Scope scope = models.scope(handle, asOf, 1)) {
                return scope.model().map(RenewalModel::summary);
            }
        });
    }

    /**
     * Whether a caller with {@code access} may see the factor values counted from customer-success
     * activities ({@link RenewalFactor#ESCALATIONS_180D}, {@link RenewalFactor#SUCCESS_PROGRAMME_180D}):
     * an activity is its programme's department's, so only a caller who sees every programme's
     * department (and no programme is without one) may see what they count for a customer.
     */
    public boolean seesCustomerSuccessActivities(DepartmentAccess access) {
        requireNonNull(access, "access is null");
        if (!access.restricted()) {
            return true;
        }
        List<String> departments = run(handle -> handle.createQuery("SELECT DISTINCT department_id FROM dim_cs_program")
                .mapTo(String.class)
                .list());
        return departments.stream().allMatch(department -> department != null && access.permits(department));
    }

    /** Records a customer-success override of one forecast line (see {@link AdjustmentRequest}). */
    public ForecastAdjustment adjust(AdjustmentRequest request) {
        return adjustments.adjust(request);
    }

    /** Every adjustment of a customer's forecast lines, newest first. */
    public List<ForecastAdjustment> adjustments(String customerId) {
        return adjustments.list(customerId);
    }

    /** The latest backtest of the renewal forecast and the budget-variance forecast, run when the facts changed since. */
    public ForecastBacktest backtest(BudgetVarianceForecaster budget) {
        return backtests.latest(budget);
    }

    /** What the model says about one line of today's forecast (the day the data runs to). */
    record ModelFigures(LocalDate asOf, BigDecimal probability, BigDecimal amount) {}

    /** The model figures of a renewal or expansion in today's forecast; empty when it is not in the forecast horizon. */
    Optional<ModelFigures> modelFigures(AdjustmentTarget kind, String targetId, String customerId) {
        return run(handle -> {
            Scope scope = lines(handle, new ForecastRequest(Optional.empty(), MAX_HORIZON_QUARTERS, Optional.of(List.of())), Optional.of(customerId), true);
            if (kind == AdjustmentTarget.RENEWAL) {
                return renewalLines(handle, scope).stream().filter(line -> line.contractId().equals(targetId)).findFirst()
                        .map(line -> new ModelFigures(scope.asOf(), line.modelProbability(), line.amount()));
            }
            return expansionLines(handle).stream().filter(line -> line.opportunityId().equals(targetId)).findFirst()
                    .map(line -> new ModelFigures(scope.asOf(), line.modelProbability(), line.amount()));
        });
    }

    private static void checkHorizon(int quarters) {
        if (quarters < 1 || quarters > MAX_HORIZON_QUARTERS) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "horizonQuarters must be 1.." + MAX_HORIZON_QUARTERS + ", was " + quarters);
        }
    }

    /**
     * The scope of {@code request} with its lines prepared; the scope's cases table is released once
     * the lines are written (everything after reads the lines).
     */
    private Scope lines(Handle handle, ForecastRequest request, Optional<String> customerId, boolean listed) {
        try (Scope scope = models.scope(handle, request.asOf(), request.horizonQuarters())) {
            prepareLines(handle, scope, customerId, listed);
            return scope;
        }
    }

    /**
     * The renewal and expansion lines of the forecast. Renewal lines to be listed ({@code listed})
     * carry every column of their case; for the figures alone they keep only what the figures and
     * scenarios read (writing every column took three times as long).
     */
    private void prepareLines(Handle handle, Scope scope, Optional<String> customerId, boolean listed) {
        String renewalSql = ForecastSql.RENEWAL_LINES
                .replace("{line_columns}", listed ? "m.*" : FIGURE_COLUMNS)
                .replace("{cases}", scope.casesTable())
                .replace("{has_model}", scope.model().isPresent() ? "true" : "false")
                .replace("{probability}", scope.probabilitySql().orElse("NULL"));
        handle.createUpdate(renewalSql)
                .bind("as_of", scope.asOf())
                .bind("horizon_end", scope.horizonEnd())
                .bind("customer_id", customerId.orElse(null))
                .bind("historical_rate", scope.historicalRate())
                .bind("reporting_currency", currency())
                .bind("recorded_before", scope.adjustmentsRecordedBefore().orElse(null))
                .execute();
        handle.createUpdate(EXPANSION_LINES.replace("{expansions}", ForecastSql.EXPANSIONS))
                .bind("as_of", scope.asOf())
                .bind("horizon_end", scope.horizonEnd())
                .bind("customer_id", customerId.orElse(null))
                .bind("expansion_win_rate", BigDecimal.valueOf(scope.expansionWinRate()).setScale(4, java.math.RoundingMode.HALF_EVEN))
                .bind("reporting_currency", currency())
                .bind("recorded_before", scope.adjustmentsRecordedBefore().orElse(null))
                .execute();
    }

    private record Groups(ForecastFigures total, List<ForecastGroup> byQuarter, List<ForecastGroup> bySegment, List<ForecastGroup> bySegmentAndQuarter) {}

    /** The four kinds of range: model or adjusted figures, renewals only or renewals and expansions. */
    private enum RangeKind {
        MODEL_RENEWAL("mp", "model_cents", "kind = 'RENEWAL'"),
        ADJUSTED_RENEWAL("ap", "adjusted_cents", "kind = 'RENEWAL'"),
        MODEL_TOTAL("mp", "model_cents", "true"),
        ADJUSTED_TOTAL("ap", "adjusted_cents", "true");

        final String probability;
        final String cents;
        final String filter;

        RangeKind(String probability, String cents, String filter) {
            this.probability = probability;
            this.cents = cents;
            this.filter = filter;
        }

        String prefix() {
            return name().toLowerCase();
        }

        boolean renewalsOnly() {
            return this == MODEL_RENEWAL || this == ADJUSTED_RENEWAL;
        }

        boolean adjusted() {
            return this == ADJUSTED_RENEWAL || this == ADJUSTED_TOTAL;
        }

        String moments() {
            String uncertain = "%s AND %s > 0 AND %s < 1 AND %s > 0".formatted(filter, probability, probability, cents);
            return String.join(",\n       ",
                    "coalesce(sum(%s) FILTER (WHERE %s AND %s >= 1), 0) AS %s_certain".formatted(cents, filter, probability, prefix()),
                    "count(*) FILTER (WHERE %s) AS %s_uncertain".formatted(uncertain, prefix()),
                    "coalesce(sum(%s * %s) FILTER (WHERE %s), 0) AS %s_mean".formatted(probability, cents, uncertain, prefix()),
                    "coalesce(sum(%s * (1 - %s) * %s * %s) FILTER (WHERE %s), 0) AS %s_variance".formatted(probability, probability, cents, cents,
                            uncertain, prefix()),
                    "coalesce(sum(%s) FILTER (WHERE %s), 0) AS %s_maximum".formatted(cents, uncertain, prefix()));
        }

        /** The moments of a group from those of its segment-and-quarter groups: sums, and counts as BIGINT. */
        String momentsRollup() {
            String prefix = prefix();
            return String.join(",\n       ",
                    "CAST(coalesce(sum(%s_certain), 0) AS BIGINT) AS %s_certain".formatted(prefix, prefix),
                    "CAST(coalesce(sum(%s_uncertain), 0) AS BIGINT) AS %s_uncertain".formatted(prefix, prefix),
                    "coalesce(sum(%s_mean), 0) AS %s_mean".formatted(prefix, prefix),
                    "coalesce(sum(%s_variance), 0) AS %s_variance".formatted(prefix, prefix),
                    "CAST(coalesce(sum(%s_maximum), 0) AS BIGINT) AS %s_maximum".formatted(prefix, prefix));
        }
    }

    private Groups groups(Handle handle, Scope scope, Optional<String> customerId) {
        StringBuilder moments = new StringBuilder();
        StringBuilder rollup = new StringBuilder();
        for (RangeKind kind : RangeKind.values()) {
            moments.append(moments.length() == 0 ? "" : ",\n       ").append(kind.moments());
            rollup.append(rollup.length() == 0 ? "" : ",\n       ").append(kind.momentsRollup());
        }
        FiscalCalendar calendar = store.calendar();
        String key = customerId.orElse("portfolio");
        List<GroupRow> rows = handle.createQuery(GROUPS.replace("{moments}", moments).replace("{moments_rollup}", rollup))
                .map((row, context) -> groupRow(row))
                .list();
        List<Line> lines = lines(handle, smallGroups(rows));
        Map<GroupRow, Map<RangeKind, ForecastRange>> ranges = ranges(rows, lines, key);
        List<ForecastGroup> all = rows.stream().map(row -> group(row, ranges.get(row), calendar)).toList();
        ForecastFigures total = all.stream().filter(group -> group.segment() == null && group.quarterStart() == null).findFirst()
                .map(ForecastGroup::figures)
                .orElseGet(ForecastService::emptyFigures);
        List<ForecastGroup> byQuarter = new ArrayList<>();
        List<ForecastGroup> bySegment = new ArrayList<>();
        List<ForecastGroup> bySegmentAndQuarter = new ArrayList<>();
        for (ForecastGroup group : all) {
            if (group.segment() != null && group.quarterStart() != null) {
                bySegmentAndQuarter.add(group);
            }
            else if (group.quarterStart() != null) {
                byQuarter.add(group);
            }
            else if (group.segment() != null) {
                bySegment.add(group);
            }
        }
        return new Groups(total, byQuarter, bySegment, bySegmentAndQuarter);
    }

    /** One row of {@code forecast_groups.sql}: the sums of a group and the moments of each kind of range. */
    private record GroupRow(String segment, LocalDate quarterStart, long renewals, long openRenewals, long expansions, long adjustedLines,
            BigDecimal arrUpForRenewal, BigDecimal expansionPipeline, BigDecimal modelRenewal, BigDecimal adjustedRenewal, BigDecimal modelExpansion,
            BigDecimal adjustedExpansion, Map<RangeKind, Moments> moments) {}

    private record Moments(long certain, long uncertain, double mean, double variance, long maximum) {}

    /** One forecast line as an outcome of each kind of range. */
    private record Line(String kind, String segment, LocalDate quarterStart, BigDecimal modelProbability, BigDecimal amount,
            BigDecimal adjustedProbability, BigDecimal adjustedAmount) {
        boolean in(RangeKind rangeKind, GroupRow group) {
            return (rangeKind.renewalsOnly() ? kind.equals("RENEWAL") : true)
                    && (group.segment() == null || group.segment().equals(segment))
                    && (group.quarterStart() == null || group.quarterStart().equals(quarterStart));
        }

        Outcome outcome(RangeKind rangeKind) {
            return rangeKind.adjusted() ? new Outcome(adjustedProbability, adjustedAmount) : new Outcome(modelProbability, amount);
        }
    }

    private static GroupRow groupRow(ResultSet row) throws SQLException {
        Map<RangeKind, Moments> moments = new java.util.EnumMap<>(RangeKind.class);
        for (RangeKind kind : RangeKind.values()) {
            String prefix = kind.prefix();
            moments.put(kind, new Moments(row.getLong(prefix + "_certain"), row.getLong(prefix + "_uncertain"), row.getDouble(prefix + "_mean"),
                    row.getDouble(prefix + "_variance"), row.getLong(prefix + "_maximum")));
        }
        return new GroupRow(row.getInt("all_segments") == 1 ? null : row.getString("segment"),
                row.getInt("all_quarters") == 1 ? null : row.getObject("quarter_start", LocalDate.class), row.getLong("renewals"),
                row.getLong("open_renewals"), row.getLong("expansions"), row.getLong("adjusted_lines"), row.getBigDecimal("arr_up_for_renewal"),
                row.getBigDecimal("expansion_pipeline"), row.getBigDecimal("model_renewal"), row.getBigDecimal("adjusted_renewal"),
                row.getBigDecimal("model_expansion"), row.getBigDecimal("adjusted_expansion"), moments);
    }

    /** The groups small enough for their ranges to be enumerated or simulated from their lines. */
    private static List<GroupRow> smallGroups(List<GroupRow> rows) {
        return rows.stream()
                .filter(row -> row.moments().values().stream()
                        .anyMatch(moments -> moments.uncertain() > 0 && moments.uncertain() <= ForecastIntervals.MONTE_CARLO_LIMIT))
                .toList();
    }

    /** The lines of the {@code groups} (each a segment and/or quarter, null meaning all). */
    private static List<Line> lines(Handle handle, List<GroupRow> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        StringBuilder condition = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            condition.append(i == 0 ? "" : " OR ")
                    .append("((CAST(:segment%1$d AS VARCHAR) IS NULL OR segment = :segment%1$d) AND (CAST(:quarter%1$d AS DATE) IS NULL OR quarter_start = :quarter%1$d))"
                            .formatted(i));
        }
        Query query = handle.createQuery("""
                SELECT * FROM (
                    SELECT 'RENEWAL' AS kind, contract_id AS id, segment, renewal_quarter_start AS quarter_start, model_probability,
                           amount_reporting, adjusted_probability, adjusted_amount
                    FROM forecast_renewal_line
                    UNION ALL
                    SELECT 'EXPANSION', opportunity_id, segment, quarter_start, model_probability, amount_reporting, adjusted_probability,
                           adjusted_amount
                    FROM forecast_expansion_line)
                WHERE\s""" + condition + """
                -- In a fixed order: the simulation draws for each line in turn, so the same lines must come in the same
                -- order (unordered, adjusting one line reordered the others and moved every simulated range).
                ORDER BY kind, id""");
        for (int i = 0; i < groups.size(); i++) {
            query.bind("segment" + i, groups.get(i).segment()).bind("quarter" + i, groups.get(i).quarterStart());
        }
        return query.map((row, context) -> new Line(row.getString("kind"), row.getString("segment"), row.getObject("quarter_start", LocalDate.class),
                        row.getBigDecimal("model_probability"), row.getBigDecimal("amount_reporting"), row.getBigDecimal("adjusted_probability"),
                        row.getBigDecimal("adjusted_amount")))
                .list();
    }

    private static ForecastGroup group(GroupRow row, Map<RangeKind, ForecastRange> ranges, FiscalCalendar calendar) {
        ForecastRange modelRenewalRange = ranges.get(RangeKind.MODEL_RENEWAL);
        ForecastRange modelTotalRange = ranges.get(RangeKind.MODEL_TOTAL);
        ForecastFigures figures = new ForecastFigures(row.renewals(), row.openRenewals(), row.expansions(), row.adjustedLines(),
                money(row.arrUpForRenewal()), money(row.expansionPipeline()), money(row.modelRenewal()), money(row.adjustedRenewal()),
                money(row.modelExpansion()), money(row.adjustedExpansion()), money(row.modelRenewal().add(row.modelExpansion())),
                money(row.adjustedRenewal().add(row.adjustedExpansion())), modelRenewalRange,
                ranges.getOrDefault(RangeKind.ADJUSTED_RENEWAL, modelRenewalRange), modelTotalRange, ranges.getOrDefault(RangeKind.ADJUSTED_TOTAL, modelTotalRange));
        return new ForecastGroup(row.segment(), row.quarterStart(),
                row.quarterStart() == null ? null : calendar.label(TimeGrain.QUARTER, row.quarterStart()), figures);
    }

    /**
     * The ranges of every group: from the group's moments when it has more uncertain outcomes than
     * simulation is worth, enumerated from its lines when it has few, and otherwise simulated. All
     * simulated ranges share one run over the lines (each line drawn once per simulated portfolio,
     * the same draw deciding its model and its adjusted outcome), seeded by the forecast's key.
     */
    private static Map<GroupRow, Map<RangeKind, ForecastRange>> ranges(List<GroupRow> rows, List<Line> lines, String key) {
        Map<GroupRow, Map<RangeKind, ForecastRange>> ranges = new java.util.IdentityHashMap<>();
        List<GroupRow> simulatedRows = new ArrayList<>();
        List<RangeKind> simulatedKinds = new ArrayList<>();
        for (GroupRow row : rows) {
            Map<RangeKind, ForecastRange> rowRanges = new java.util.EnumMap<>(RangeKind.class);
            ranges.put(row, rowRanges);
            for (RangeKind kind : RangeKind.values()) {
                if (kind.adjusted() && row.adjustedLines() == 0) {
                    continue;
                }
                Moments moments = row.moments().get(kind);
                if (moments.uncertain() == 0) {
                    // Every line is decided (or at probability 0 or 1): the range is what is certain; no line is read.
                    rowRanges.put(kind, ForecastIntervals.certain(moments.certain()));
                }
                else if (moments.uncertain() > ForecastIntervals.MONTE_CARLO_LIMIT) {
                    rowRanges.put(kind, ForecastIntervals.normal(moments.certain(), moments.mean(), moments.variance(), moments.maximum(),
                            (int) moments.uncertain()));
                }
                else if (moments.uncertain() <= ForecastIntervals.EXACT_LIMIT) {
                    rowRanges.put(kind, ForecastIntervals.range(lines.stream().filter(line -> line.in(kind, row)).map(line -> line.outcome(kind)).toList(), key));
                }
                else {
                    simulatedRows.add(row);
                    simulatedKinds.add(kind);
                }
            }
        }
        if (simulatedRows.isEmpty()) {
            return ranges;
        }
        List<ForecastIntervals.SimulatedLine> simulated = new ArrayList<>();
        for (Line line : lines) {
            List<Integer> model = new ArrayList<>();
            List<Integer> adjusted = new ArrayList<>();
            for (int sum = 0; sum < simulatedRows.size(); sum++) {
                RangeKind kind = simulatedKinds.get(sum);
                if (line.in(kind, simulatedRows.get(sum))) {
                    (kind.adjusted() ? adjusted : model).add(sum);
                }
            }
            if (!model.isEmpty() || !adjusted.isEmpty()) {
                simulated.add(new ForecastIntervals.SimulatedLine(line.outcome(RangeKind.MODEL_TOTAL), line.outcome(RangeKind.ADJUSTED_TOTAL),
                        model.stream().mapToInt(Integer::intValue).toArray(), adjusted.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        List<ForecastRange> results = ForecastIntervals.simulate(simulated, simulatedRows.size(), key);
        for (int sum = 0; sum < simulatedRows.size(); sum++) {
            RangeKind kind = simulatedKinds.get(sum);
            ForecastRange result = results.get(sum);
            ranges.get(simulatedRows.get(sum)).put(kind, new ForecastRange(result.p10(), result.p50(), result.p90(), IntervalMethod.MONTE_CARLO,
                    (int) simulatedRows.get(sum).moments().get(kind).uncertain()));
        }
        return ranges;
    }

    /** Health 10 points up and down, and a 20 % churn shock in each segment with open renewals. */
    private static List<ForecastScenario> defaultScenarios(Handle handle) {
        List<ForecastScenario> scenarios = new ArrayList<>();
        scenarios.add(new ForecastScenario("Health +" + DEFAULT_HEALTH_SHIFT, DEFAULT_HEALTH_SHIFT, Optional.empty(), BigDecimal.ZERO));
        scenarios.add(new ForecastScenario("Health -" + DEFAULT_HEALTH_SHIFT, -DEFAULT_HEALTH_SHIFT, Optional.empty(), BigDecimal.ZERO));
        TreeSet<String> segments = new TreeSet<>(handle.createQuery("SELECT DISTINCT segment FROM forecast_renewal_line WHERE status = 'OPEN'")
                .mapTo(String.class)
                .list());
        for (String segment : segments) {
            scenarios.add(new ForecastScenario("Churn shock 20% " + segment, 0, Optional.of(segment), DEFAULT_CHURN_SHOCK));
        }
        return scenarios;
    }

    private List<ScenarioResult> scenarios(Handle handle, Scope scope, List<ForecastScenario> scenarios, ForecastFigures base) {
        List<ScenarioResult> results = new ArrayList<>();
        List<String> segments = handle.createQuery("SELECT DISTINCT segment FROM dim_customer WHERE segment IS NOT NULL ORDER BY segment")
                .mapTo(String.class)
                .list();
        for (ForecastScenario scenario : scenarios) {
            // An unknown segment matched no line and read as "no change" rather than as a mistake.
            scenario.segment().filter(segment -> !segments.contains(segment)).ifPresent(segment -> {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "scenario '%s': unknown segment '%s'; the segments are %s"
                        .formatted(scenario.name(), segment, String.join(", ", segments)));
            });
            if (scenario.churnShock().signum() < 0 || scenario.churnShock().compareTo(BigDecimal.ONE) > 0) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "a churn shock is a share between 0 and 1, was " + scenario.churnShock().toPlainString());
            }
            if (Math.abs(scenario.healthShift()) > 100) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "a health shift is at most 100 points either way, was " + scenario.healthShift());
            }
            results.add(scenario(handle, scope, scenario, base));
        }
        return results;
    }

    private ScenarioResult scenario(Handle handle, Scope scope, ForecastScenario scenario, ForecastFigures base) {
        String inScope = "(CAST(:segment AS VARCHAR) IS NULL OR segment = :segment)";
        String shifted = scope.model().filter(model -> scenario.healthShift() != 0)
                .map(model -> "CASE WHEN probability_source = 'MODEL' AND %s THEN round(%s, 4) ELSE model_probability END"
                        .formatted(inScope, model.probabilitySql(scenario.healthShift())))
                .orElse("model_probability");
        String sql = """
                WITH renewal AS MATERIALIZED (
                    SELECT contract_id, amount_reporting, adjusted_amount,
                           CASE WHEN status = 'OPEN' AND %2$s THEN round(CAST(shifted AS DECIMAL(5, 4)) * (1 - :shock), 4)
                                ELSE CAST(shifted AS DECIMAL(5, 4)) END AS model_p,
                           CASE WHEN status = 'OPEN' AND %2$s
                                THEN round(CASE WHEN override_probability IS NOT NULL THEN override_probability ELSE CAST(shifted AS DECIMAL(5, 4)) END * (1 - :shock), 4)
                                ELSE adjusted_probability END AS adjusted_p
                    -- The shifted probability is computed once per line (written out three times it was computed three times).
                    FROM (SELECT *, %1$s AS shifted FROM forecast_renewal_line)
                ),
                expansion AS (
                    SELECT e.amount_reporting, e.adjusted_amount,
                           round(e.stage_probability * coalesce(r.model_p, 1), 4) AS model_p,
                           coalesce(e.override_probability, round(e.stage_probability * coalesce(r.adjusted_p, 1), 4)) AS adjusted_p
                    FROM forecast_expansion_line e
                    LEFT JOIN renewal r ON r.contract_id = e.renewal_contract_id
                )
                SELECT (SELECT coalesce(sum(round(amount_reporting * model_p, 2)), 0) FROM renewal) AS model_renewal,
                       (SELECT coalesce(sum(round(adjusted_amount * adjusted_p, 2)), 0) FROM renewal) AS adjusted_renewal,
                       (SELECT coalesce(sum(round(amount_reporting * model_p, 2)), 0) FROM expansion) AS model_expansion,
                       (SELECT coalesce(sum(round(adjusted_amount * adjusted_p, 2)), 0) FROM expansion) AS adjusted_expansion
                """.formatted(shifted, inScope);
        return handle.createQuery(sql)
                .bind("segment", scenario.segment().orElse(null))
                .bind("shock", scenario.churnShock())
                .map((row, context) -> {
                    BigDecimal modelRenewal = money(row.getBigDecimal("model_renewal"));
                    BigDecimal modelTotal = money(modelRenewal.add(row.getBigDecimal("model_expansion")));
                    BigDecimal adjustedTotal = money(row.getBigDecimal("adjusted_renewal").add(row.getBigDecimal("adjusted_expansion")));
                    return new ScenarioResult(scenario, modelRenewal, modelTotal, adjustedTotal, modelTotal.subtract(base.modelTotal()),
                            adjustedTotal.subtract(base.adjustedTotal()));
                })
                .one();
    }

    private List<RenewalLine> renewalLines(Handle handle, Scope scope) {
        FiscalCalendar calendar = store.calendar();
        return handle.createQuery("SELECT * FROM forecast_renewal_line ORDER BY end_date, contract_id")
                .map((row, context) -> {
                    RenewalCase renewal = RenewalCases.renewalCase(row);
                    ProbabilitySource source = ProbabilitySource.valueOf(row.getString("probability_source"));
                    List<FactorContribution> factors = source == ProbabilitySource.MODEL
                            ? scope.model().map(model -> model.contributions(renewal)).orElse(List.of())
                            : List.of();
                    BigDecimal amount = money(row.getBigDecimal("amount_reporting"));
                    BigDecimal modelProbability = row.getBigDecimal("model_probability");
                    BigDecimal adjustedAmount = money(row.getBigDecimal("adjusted_amount"));
                    BigDecimal adjustedProbability = row.getBigDecimal("adjusted_probability");
                    return new RenewalLine(renewal.contractId(), renewal.customerId(), row.getString("customer_name"), renewal.segment(),
                            row.getString("product_id"), renewal.endDate(),
                            calendar.label(TimeGrain.QUARTER, row.getObject("renewal_quarter_start", LocalDate.class)), row.getString("opportunity_id"),
                            RenewalStatus.valueOf(row.getString("status")), amount, source, modelProbability, expected(amount, modelProbability),
                            row.getString("adjustment_id"), adjustedProbability, adjustedAmount, expected(adjustedAmount, adjustedProbability),
                            Double.isNaN(renewal.healthScore()) ? null : renewal.healthScore(), factors);
                })
                .list();
    }

    private List<ExpansionLine> expansionLines(Handle handle) {
        FiscalCalendar calendar = store.calendar();
        return handle.createQuery("SELECT * FROM forecast_expansion_line ORDER BY expected_close, opportunity_id")
                .map((row, context) -> {
                    BigDecimal amount = money(row.getBigDecimal("amount_reporting"));
                    BigDecimal modelProbability = row.getBigDecimal("model_probability");
                    BigDecimal adjustedAmount = money(row.getBigDecimal("adjusted_amount"));
                    BigDecimal adjustedProbability = row.getBigDecimal("adjusted_probability");
                    return new ExpansionLine(row.getString("opportunity_id"), row.getString("customer_id"), row.getString("customer_name"),
                            row.getString("segment"), row.getString("contract_id"), row.getString("stage"), row.getObject("expected_close", LocalDate.class),
                            calendar.label(TimeGrain.QUARTER, row.getObject("quarter_start", LocalDate.class)), row.getBoolean("aligned_to_renewal"), amount,
                            row.getBigDecimal("stage_probability"), row.getBigDecimal("renewal_model_probability"), modelProbability,
                            expected(amount, modelProbability), row.getString("adjustment_id"), adjustedProbability, adjustedAmount,
                            expected(adjustedAmount, adjustedProbability));
                })
                .list();
    }

    /** amount × probability, rounded to the cent, as every expected value in the forecast. */
    static BigDecimal expected(BigDecimal amount, BigDecimal probability) {
        return amount.multiply(probability).setScale(2, java.math.RoundingMode.HALF_UP);
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    private static ForecastFigures emptyFigures() {
        BigDecimal zero = BigDecimal.ZERO.setScale(2);
        ForecastRange none = new ForecastRange(zero, zero, zero, IntervalMethod.CERTAIN, 0);
        return new ForecastFigures(0, 0, 0, 0, zero, zero, zero, zero, zero, zero, zero, zero, none, none, none, none);
    }

    private String currency() {
        return store.config().reportingCurrency();
    }

    private <T> T run(Function<Handle, T> work) {
        try {
            return store.jdbi().withHandle(work::apply);
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }
}
