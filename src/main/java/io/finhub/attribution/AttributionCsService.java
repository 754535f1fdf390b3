package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.attribution.AttributionCsPortfolio.Baseline;
import io.finhub.attribution.AttributionCsPortfolio.Programme;
import io.finhub.attribution.AttributionCsPortfolio.ReconciliationLine;
import io.finhub.catalog.CurrencyConversion;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.DataChanged;
import io.finhub.store.Store;
import io.finhub.support.Allocation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer-success attribution: the computed credits (expansion by health uplift, churn
 * protection; see {@code cs_build.sql} for the method), outcomes users record with their evidence,
 * and the portfolio of a period with programme ROI and reconciliation.
 */
public final class AttributionCsService {
    static final String BUILD = "customer-success";
    static final int INFLUENCE_DAYS = 90;
    static final int RISK_WINDOW_DAYS = 180;
    private static final Logger LOG = LoggerFactory.getLogger(AttributionCsService.class);

    private final Store store;
    private final AttributionEvents events;
    private final Object lock = new Object();

    public AttributionCsService(Store store, AttributionEvents events) {
        this.store = requireNonNull(store, "store is null");
        this.events = requireNonNull(events, "events is null");
    }

    /** The tables the computed credits are built from; spend and programme names are read when answering. */
    static final Set<String> INPUTS = Set.of("fact_conversion", "fact_cs_activity", "fact_health_score", "fact_renewal_pipeline",
            "fact_fx_rate");

    /** After every committed change: rebuild on {@code executor} when it may alter the credits, otherwise carry them to the new version. */
    public void dataChanged(DataChanged change, Executor executor) {
        if (AttributionService.affects(change, INPUTS)) {
            executor.execute(this::refreshQuietly);
            return;
        }
        executor.execute(() -> relabel(change.version() - 1, change.version()));
    }

    private void relabel(long from, long to) {
        synchronized (lock) {
            try {
                store.jdbi().useHandle(handle -> handle.createUpdate("UPDATE attribution_build SET data_version = :to WHERE build_id = :id AND data_version = :from")
                        .bind("id", BUILD)
                        .bind("from", from)
                        .bind("to", to)
                        .execute());
            }
            catch (RuntimeException e) {
                LOG.warn("customer-success credits could not be carried to version {}; they will be rebuilt when read", to, e);
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        }
        catch (RuntimeException e) {
            LOG.warn("customer-success credits could not be rebuilt; they will be on the next request", e);
        }
    }

    /** Brings the computed credits to the current data version. */
    public void refresh() {
        synchronized (lock) {
            long version = store.dataVersion();
            Optional<Long> built = store.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT data_version FROM attribution_build WHERE build_id = :id AND reporting_currency = :currency""")
                    .bind("id", BUILD)
                    .bind("currency", store.config().reportingCurrency())
                    .mapTo(Long.class)
                    .findOne());
            if (built.filter(existing -> existing == version).isPresent()) {
                return;
            }
            long started = System.nanoTime();
            store.jdbi().useHandle(handle -> {
                AttributionSql.setVariable(handle, "attribution_build_id", BUILD);
                AttributionSql.setVariable(handle, "attribution_reporting_currency", store.config().reportingCurrency());
                AttributionSql.setVariable(handle, "attribution_influence_days", INFLUENCE_DAYS);
                AttributionSql.setVariable(handle, "attribution_risk_window_days", RISK_WINDOW_DAYS);
                AttributionSql.executeFile(handle, "cs_build");
                handle.useTransaction(transaction -> store(transaction, version));
                for (String table : List.of("cs_credit_next", "cs_outcome_base_next", "cs_baseline_next")) {
                    AttributionSql.execute(handle, "DROP TABLE IF EXISTS " + table);
                }
            });
            LOG.info("customer-success credits built on data version {} in {} ms", version, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Replaces the stored credits with the ones just computed in this connection's temporary tables. */
    private void store(Handle handle, long version) {
        for (String table : List.of("attribution_cs_credit", "attribution_cs_outcome_base", "attribution_cs_baseline", "attribution_build")) {
            handle.createUpdate("DELETE FROM " + table + " WHERE build_id = :id").bind("id", BUILD).execute();
        }
        AttributionSql.execute(handle, "INSERT INTO attribution_cs_credit SELECT * FROM cs_credit_next");
        AttributionSql.execute(handle, "INSERT INTO attribution_cs_outcome_base SELECT * FROM cs_outcome_base_next");
        AttributionSql.execute(handle, "INSERT INTO attribution_cs_baseline SELECT * FROM cs_baseline_next");
        handle.createUpdate("""
                        INSERT INTO attribution_build VALUES (:id, :version, :influence, 0, :currency, CAST([] AS VARCHAR[]), now()::TIMESTAMP)""")
                .bind("id", BUILD)
                .bind("version", version)
                .bind("influence", INFLUENCE_DAYS)
                .bind("currency", store.config().reportingCurrency())
                .execute();
    }

    /** The portfolio of {@code period}, read while no rebuild can start, so all its figures come from one build. */
    public AttributionCsPortfolio portfolio(AttributionPeriod period) {
        requireNonNull(period, "period is null");
        synchronized (lock) {
            refresh();
            return read(period, store.dataVersion());
        }
    }

    private AttributionCsPortfolio read(AttributionPeriod period, long version) {
        return store.jdbi().withHandle(handle -> {
            Map<String, BigDecimal[]> outcomes = new TreeMap<>();
            handle.createQuery(AttributionSql.file("cs_portfolio_outcomes"))
                    .bind("build_id", BUILD)
                    .bind("range_from", period.from())
                    .bind("range_to", period.to())
                    .bind("reporting_currency", store.config().reportingCurrency())
                    .map((rs, context) -> {
                        BigDecimal[] values = outcomes.computeIfAbsent(rs.getString("program_id"), key -> zeros(3));
                        int column = rs.getString("outcome_type").equals(AttributionCsOutcomeType.EXPANSION.name()) ? 0 : 1;
                        values[column] = values[column].add(rs.getBigDecimal("amount"));
                        return values;
                    })
                    .list();
            handle.createQuery(AttributionSql.file("cs_portfolio_cost"))
                    .bind("range_from", period.from())
                    .bind("range_to", period.to())
                    .bind("reporting_currency", store.config().reportingCurrency())
                    .map((rs, context) -> outcomes.computeIfAbsent(rs.getString("program_id"), key -> zeros(3))[2] = rs.getBigDecimal("cost"))
                    .list();
            Map<String, String[]> programmeNames = new LinkedHashMap<>();
            handle.createQuery("SELECT program_id, program_name, activity_type FROM dim_cs_program")
                    .map((rs, context) -> programmeNames.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)}))
                    .list();
            List<Programme> programmes = new ArrayList<>();
            BigDecimal[] totals = zeros(3);
            outcomes.forEach((programId, values) -> {
                String[] names = programmeNames.getOrDefault(programId, new String[] {null, null});
                BigDecimal outcome = values[0].add(values[1]);
                programmes.add(new Programme(programId, names[0], names[1], values[0], values[1], outcome, values[2], roi(outcome, values[2])));
                for (int column = 0; column < 3; column++) {
                    totals[column] = totals[column].add(values[column]);
                }
            });
            Reconciliation expansion = handle.createQuery(AttributionSql.file("cs_portfolio_expansion"))
                    .bind("build_id", BUILD)
                    .bind("range_from", period.from())
                    .bind("range_to", period.to())
                    .bind("reporting_currency", store.config().reportingCurrency())
                    .map((rs, context) -> new Reconciliation(rs.getBigDecimal("booked"), rs.getBigDecimal("credited"), rs.getBigDecimal("superseded"),
                            rs.getBigDecimal("uncredited"), rs.getBigDecimal("superseded_recorded"), rs.getBigDecimal("other_recorded"),
                            rs.getBigDecimal("credited_allocated")))
                    .one();
            List<Baseline> baselines = handle.createQuery("""
                            SELECT risk_band, renewed, closed FROM attribution_cs_baseline WHERE build_id = :id
                            ORDER BY CASE risk_band WHEN 'AT_RISK' THEN 0 WHEN 'WATCH' THEN 1 ELSE 2 END""")
                    .bind("id", BUILD)
                    .map((rs, context) -> new Baseline(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getLong(3) == 0 ? null : BigDecimal.valueOf(rs.getLong(2)).divide(BigDecimal.valueOf(rs.getLong(3)), 6, RoundingMode.HALF_EVEN)))
                    .list();
            BigDecimal expansionAttributed = totals[0];
            BigDecimal outcomeValue = totals[0].add(totals[1]);
            List<ReconciliationLine> lines = List.of(
                    line("booked expansion = credited by health uplift + superseded by recorded outcomes + not credited", expansion.booked(),
                            expansion.credited().add(expansion.superseded()).add(expansion.uncredited()),
                            "every expansion deal of the period is in exactly one of the three groups"),
                    line("expansion credited by health uplift = its allocation to activities", expansion.credited(), expansion.creditedAllocated(),
                            "each credited deal is split to the cent over its activities"),
                    line("recorded expansion outcomes against the deals they supersede", expansion.superseded(), expansion.supersededRecorded(),
                            "a variance is what recorded allocations add to or take from the booked value of those deals"),
                    line("programme expansion = credited by health uplift + recorded against the period's deals + recorded without a deal",
                            expansion.creditedAllocated().add(expansion.supersededRecorded()).add(expansion.otherRecorded()), expansionAttributed,
                            "a recorded outcome naming a deal counts in the deal's period, one naming none on its own date"),
                    line("programme outcomes = portfolio outcome", outcomeValue,
                            programmes.stream().map(Programme::outcomeValue).reduce(BigDecimal.ZERO, BigDecimal::add),
                            "every credit belongs to exactly one programme"));
            return new AttributionCsPortfolio(period.label(), period.from(), period.to(), store.config().reportingCurrency(), version, expansion.booked(),
                    expansionAttributed, expansion.uncredited(),
                    totals[1], outcomeValue, totals[2], roi(outcomeValue, totals[2]), programmes, baselines, lines);
        });
    }

    private record Reconciliation(BigDecimal booked, BigDecimal credited, BigDecimal superseded, BigDecimal uncredited, BigDecimal supersededRecorded,
            BigDecimal otherRecorded, BigDecimal creditedAllocated) {}

    private static ReconciliationLine line(String item, BigDecimal expected, BigDecimal actual, String explanation) {
        return new ReconciliationLine(item, expected, actual, actual.subtract(expected), explanation);
    }

    private static BigDecimal roi(BigDecimal outcome, BigDecimal cost) {
        return cost.signum() == 0 ? null : outcome.divide(cost, 4, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal[] zeros(int size) {
        BigDecimal[] values = new BigDecimal[size];
        Arrays.fill(values, BigDecimal.ZERO.setScale(2));
        return values;
    }

    /**
     * Records a customer-success outcome with its allocation and evidence, as one committed change
     * (the data version moves), and publishes {@code attribution_update}.
     */
    public AttributionCsOutcome record(String customerId, AttributionCsOutcomeInput input) {
        requireNonNull(customerId, "customerId is null");
        requireNonNull(input, "input is null");
        validate(input);
        String outcomeId = "CSO-" + UUID.randomUUID();
        Prepared prepared = store.jdbi().withHandle(handle -> prepare(handle, customerId, input));
        long version;
        try {
            version = store.write("attribution:cs-outcome", List.of("attribution_cs_outcome", "attribution_cs_allocation"), handle -> insert(handle, outcomeId, customerId, input, prepared));
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
        relabel(version - 1, version);
        events.publish(new AttributionUpdate(AttributionUpdate.Kind.CUSTOMER_SUCCESS, version, List.of(), Optional.of(customerId), Instant.now()));
        return new AttributionCsOutcome(outcomeId, customerId, input.outcomeType(), input.reference(), input.outcomeDate(), input.amount(),
                input.currency(), prepared.reportingAmount(), store.config().reportingCurrency(), prepared.method(), input.note(), prepared.allocations(), version);
    }

    private record Prepared(BigDecimal reportingAmount, String method, List<AttributionCsOutcome.Allocation> allocations) {}

    private static void validate(AttributionCsOutcomeInput input) {
        if (input.amount().signum() < 0 || input.amount().scale() > 2) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "amount must be a non-negative amount with at most 2 decimals, was " + input.amount().toPlainString());
        }
        if (!input.currency().matches("[A-Z]{3}")) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "currency must be an ISO 4217 code, was " + input.currency());
        }
        if (input.allocations().isEmpty()) {
            return;
        }
        BigDecimal shares = input.allocations().stream().map(AttributionCsOutcomeInput.Allocation::share).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (shares.compareTo(BigDecimal.ONE) != 0 || input.allocations().stream().anyMatch(allocation -> allocation.share().signum() <= 0
                || allocation.share().scale() > 6)) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "allocation shares must be positive, have at most 6 decimals and sum to exactly 1; they sum to "
                    + shares.toPlainString());
        }
        if (input.allocations().stream().anyMatch(allocation -> allocation.evidence().isBlank())) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "every allocation needs its evidence");
        }
    }

    private Prepared prepare(Handle handle, String customerId, AttributionCsOutcomeInput input) {
        boolean known = handle.createQuery("SELECT count(*) FROM dim_customer WHERE customer_id = :id").bind("id", customerId).mapTo(Long.class).one() > 0;
        if (!known) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "no customer '%s'".formatted(customerId));
        }
        BigDecimal reportingAmount = reportingAmount(handle, input);
        Map<String, String> names = new LinkedHashMap<>();
        handle.createQuery("SELECT program_id, program_name FROM dim_cs_program").map((rs, context) -> names.put(rs.getString(1), rs.getString(2))).list();
        if (!input.allocations().isEmpty()) {
            return new Prepared(reportingAmount, "manual", manual(handle, customerId, input, reportingAmount, names));
        }
        return computed(handle, customerId, input, reportingAmount, names);
    }

    private BigDecimal reportingAmount(Handle handle, AttributionCsOutcomeInput input) {
        if (input.currency().equals(store.config().reportingCurrency()) || input.amount().signum() == 0) {
            return input.amount().setScale(2);
        }
        return handle.createQuery("""
                        SELECT CAST(round(CAST(:amount AS DECIMAL(38, 2)) * rate, 2) AS DECIMAL(18, 2)) FROM fact_fx_rate
                        WHERE rate_date = :day AND from_currency = :currency AND to_currency = :reporting_currency""")
                .bind("amount", input.amount())
                .bind("day", input.outcomeDate())
                .bind("currency", input.currency())
                .bind("reporting_currency", store.config().reportingCurrency())
                .mapTo(BigDecimal.class)
                .findOne()
                .orElseThrow(() -> new FinhubException(ErrorCode.MISSING_FX_RATE, "no FX rate from %s to %s on %s: load that day's rate into fact_fx_rate"
                        .formatted(input.currency(), store.config().reportingCurrency(), input.outcomeDate())));
    }

    private static List<AttributionCsOutcome.Allocation> manual(Handle handle, String customerId, AttributionCsOutcomeInput input, BigDecimal amount,
            Map<String, String> names) {
        List<BigInteger> weights = new ArrayList<>();
        for (AttributionCsOutcomeInput.Allocation allocation : input.allocations()) {
            if (!names.containsKey(allocation.programId())) {
                throw new FinhubException(ErrorCode.NOT_FOUND, "no CS programme '%s'".formatted(allocation.programId()));
            }
            if (allocation.activityId() != null && handle.createQuery("""
                            SELECT count(*) FROM fact_cs_activity WHERE activity_id = :activity AND customer_id = :customer AND program_id = :program""")
                    .bind("activity", allocation.activityId())
                    .bind("customer", customerId)
                    .bind("program", allocation.programId())
                    .mapTo(Long.class)
                    .one() == 0) {
                throw new FinhubException(ErrorCode.NOT_FOUND, "no activity '%s' of programme '%s' for customer '%s'"
                        .formatted(allocation.activityId(), allocation.programId(), customerId));
            }
            weights.add(allocation.share().movePointRight(6).toBigIntegerExact());
        }
        List<BigDecimal> amounts = Allocation.split(amount, weights, 2);
        List<AttributionCsOutcome.Allocation> allocations = new ArrayList<>();
        for (int index = 0; index < weights.size(); index++) {
            AttributionCsOutcomeInput.Allocation allocation = input.allocations().get(index);
            allocations.add(new AttributionCsOutcome.Allocation(allocation.programId(), names.get(allocation.programId()), allocation.activityId(),
                    allocation.share().setScale(6), amounts.get(index), allocation.evidence()));
        }
        return allocations;
    }

    /** Candidate activities of the outcome: the customer's activities in the window before it, with their health scores around them. */
    private record Candidate(String activityId, String programId, LocalDate occurredOn, Integer before, LocalDate beforeOn, Integer after, LocalDate afterOn) {
        int uplift() {
            return before == null || after == null || !afterOn.isAfter(occurredOn) ? 0 : Math.max(0, after - before);
        }
    }

    private static Prepared computed(Handle handle, String customerId, AttributionCsOutcomeInput input, BigDecimal amount, Map<String, String> names) {
        int window = input.outcomeType() == AttributionCsOutcomeType.EXPANSION ? INFLUENCE_DAYS : RISK_WINDOW_DAYS;
        List<Candidate> candidates = handle.createQuery(AttributionSql.file("cs_candidates"))
                .bind("customer_id", customerId)
                .bind("outcome_date", input.outcomeDate())
                .bind("window_start", input.outcomeDate().minusDays(window))
                .map((rs, context) -> new Candidate(rs.getString("activity_id"), rs.getString("program_id"), rs.getObject("occurred_on", LocalDate.class),
                        rs.getObject("before_score", Integer.class), rs.getObject("before_on", LocalDate.class),
                        rs.getObject("after_score", Integer.class), rs.getObject("after_on", LocalDate.class)))
                .list();
        if (candidates.isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "customer '%s' has no CS activity in the %d days before %s: give the allocations explicitly"
                    .formatted(customerId, window, input.outcomeDate()));
        }
        boolean uplift = input.outcomeType() == AttributionCsOutcomeType.EXPANSION && candidates.stream().anyMatch(candidate -> candidate.uplift() > 0);
        List<Candidate> credited = uplift ? candidates.stream().filter(candidate -> candidate.uplift() > 0).toList() : candidates;
        List<BigInteger> weights = credited.stream().map(candidate -> BigInteger.valueOf(uplift ? candidate.uplift() : 1)).toList();
        List<BigDecimal> amounts = Allocation.split(amount, weights, 2);
        List<BigDecimal> shares = Allocation.split(BigDecimal.ONE, weights, 6);
        int totalWeight = weights.stream().mapToInt(BigInteger::intValueExact).sum();
        List<AttributionCsOutcome.Allocation> allocations = new ArrayList<>();
        for (int index = 0; index < credited.size(); index++) {
            Candidate candidate = credited.get(index);
            String evidence = uplift
                    ? "{\"method\":\"health-uplift\",\"activityOn\":\"%s\",\"scoreBefore\":%d,\"scoredBefore\":\"%s\",\"scoreAfter\":%d,\"scoredAfter\":\"%s\",\"uplift\":%d,\"totalUplift\":%d,\"windowDays\":%d}"
                            .formatted(candidate.occurredOn(), candidate.before(), candidate.beforeOn(), candidate.after(), candidate.afterOn(), candidate.uplift(),
                                    totalWeight, window)
                    : "{\"method\":\"equal-split\",\"activityOn\":\"%s\",\"activities\":%d,\"windowDays\":%d,\"reason\":\"%s\"}"
                            .formatted(candidate.occurredOn(), credited.size(), window, input.outcomeType() == AttributionCsOutcomeType.EXPANSION
                                    ? "no activity with a health uplift before the outcome" : "every intervention before the renewal shares equally");
            allocations.add(new AttributionCsOutcome.Allocation(candidate.programId(), names.get(candidate.programId()), candidate.activityId(),
                    shares.get(index), amounts.get(index), evidence));
        }
        return new Prepared(amount, uplift ? "health-uplift" : "equal-split", allocations);
    }

    private void insert(Handle handle, String outcomeId, String customerId, AttributionCsOutcomeInput input, Prepared prepared) {
        handle.createUpdate("""
                        INSERT INTO attribution_cs_outcome VALUES (:id, :customer, :type, :reference, :day, :amount, :currency, :reporting_amount,
                            :reporting_currency, :method, :note, now()::TIMESTAMP)""")
                .bind("id", outcomeId)
                .bind("customer", customerId)
                .bind("type", input.outcomeType().name())
                .bind("reference", input.reference())
                .bind("day", input.outcomeDate())
                .bind("amount", input.amount())
                .bind("currency", input.currency())
                .bind("reporting_amount", prepared.reportingAmount())
                .bind("reporting_currency", store.config().reportingCurrency())
                .bind("method", prepared.method())
                .bind("note", input.note())
                .execute();
        int number = 1;
        for (AttributionCsOutcome.Allocation allocation : prepared.allocations()) {
            handle.createUpdate("INSERT INTO attribution_cs_allocation VALUES (:id, :number, :program, :activity, :share, :amount, :evidence)")
                    .bind("id", outcomeId)
                    .bind("number", number++)
                    .bind("program", allocation.programId())
                    .bind("activity", allocation.activityId())
                    .bind("share", allocation.share())
                    .bind("amount", allocation.amount())
                    .bind("evidence", allocation.evidence())
                    .execute();
        }
    }
}
