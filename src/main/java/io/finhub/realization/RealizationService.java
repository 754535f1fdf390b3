package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.DataChanged;
import io.finhub.store.DerivedTables;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Value realization: delivery against the outcomes contracts commit to, utilisation gaps, ROI
 * trajectories, quarterly certification and the {@code value_realization} events. How each figure
 * is defined is written next to its SQL ({@code kpi_checkpoints.sql}, {@code contract_checkpoints.sql}).
 */
public final class RealizationService {
    /** A running commitment below this share of what is due is at risk of under-delivery. */
    public static final BigDecimal AT_RISK_BELOW = new BigDecimal("0.90");
    static final String DERIVED = "realization";
    /** The datasets realization reads; a change to any of them may change some contract's realization. */
    static final Set<String> INPUTS = Set.of("dim_contract", "dim_customer", "fact_contract_commitment", "fact_success_metric", "fact_utilization",
            "fact_fx_rate");
    /** What the checkpoint build reads: its inputs, the KPI values, the facts that fix the day the data runs to, and the fiscal calendar. */
    static final Set<String> BUILD_INPUTS = Stream.concat(INPUTS.stream(),
            Stream.of("realization_kpi_value", "fact_health_score", "fact_renewal_pipeline", "dim_date")).collect(Collectors.toUnmodifiableSet());
    private static final Logger LOG = LoggerFactory.getLogger(RealizationService.class);

    private final Store store;
    private final Clock clock;
    private final RealizationEvents events;
    private final RealizationDerivedTables derived;
    private final Object certifying = new Object();
    private final Object publishing = new Object();

    /**
     * A service publishing to {@code events}; once someone subscribes to them it watches the facts
     * on {@code watcher} and publishes each change of a contract's realization.
     */
    public RealizationService(Store store, Clock clock, RealizationEvents events, Executor watcher) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.events = requireNonNull(events, "events is null");
        this.derived = new RealizationDerivedTables(store);
        requireNonNull(watcher, "watcher is null");
        events.whenSubscribed(() -> watch(watcher));
    }

    public RealizationEvents events() {
        return events;
    }

    /** The last day the customer-success facts cover, never after today. */
    public LocalDate dataAsOf() {
        return run(handle -> RealizationAsOf.of(handle, clock));
    }

    /**
     * One contract's realization as of {@code asOf} (default: the data as-of date), with one
     * checkpoint per fiscal quarter since it started and its certifications.
     */
    public ContractRealization realization(String contractId, Optional<LocalDate> asOf) {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(asOf, "asOf is null");
        return run(handle -> {
            ContractInfo contract = contract(handle, contractId);
            LocalDate day = asOf.orElseGet(() -> RealizationAsOf.of(handle, clock));
            if (day.isBefore(contract.startDate())) {
                throw new FinhubException(ErrorCode.INVALID_DATE_RANGE,
                        "contract %s starts on %s, after %s; ask for a day within its term".formatted(contractId, contract.startDate(), day));
            }
            List<RealizationCheckpoint> trajectory = computeDetail(handle, contract, day);
            List<KpiRealization> commitments = handle.createQuery("""
                            SELECT * FROM realization_kpi_detail WHERE as_of = (SELECT max(as_of) FROM realization_kpi_detail) ORDER BY kpi, commitment_id""")
                    .map((row, context) -> kpi(row))
                    .list();
            RealizationCheckpoint current = trajectory.get(trajectory.size() - 1);
            BigDecimal projectedRoi = current.projectedValueAtEnd() == null ? null : roi(current.projectedValueAtEnd(), contract.committedReporting());
            return new ContractRealization(contract.contractId(), contract.customerId(), contract.customerName(), contract.segment(),
                    contract.productId(), contract.startDate(), contract.endDate(), contract.licensedSeats(), contract.committedReporting(),
                    currency(), day, current, commitments, trajectory, current.projectedValueAtEnd(), projectedRoi,
                    certifications(handle, contractId), store.dataVersion());
        });
    }

    /** Realization per fiscal quarter and group of contracts, from the table derived for the current data version. */
    public RealizationSummary summary(RealizationSummaryRequest request) {
        requireNonNull(request, "request is null");
        if (request.limit() < 1 || request.limit() > 100_000 || request.offset() < 0) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "limit must be 1..100000 and offset at least 0");
        }
        refresh();
        String sql = """
                SELECT r.quarter_start, %s AS group_key, %s AS group_label,
                       count(*) AS contracts,
                       count(r.realization_rate) AS measured_contracts,
                       sum(r.committed_value_reporting) AS committed_value,
                       sum(r.realization_rate * r.committed_value_reporting) AS weighted_rate,
                       sum(r.committed_value_reporting) FILTER (WHERE r.realization_rate IS NOT NULL) AS measured_value,
                       sum(r.milestones_met) AS milestones_met,
                       sum(r.milestones_due) AS milestones_due,
                       count(*) FILTER (WHERE r.at_risk) AS at_risk_contracts,
                       coalesce(sum(r.seats_used), 0) AS seats_used,
                       coalesce(sum(r.seats_licensed), 0) AS seats_licensed,
                       sum(r.unused_license_value) AS unused_license_value,
                       sum(r.value_to_date) AS value_to_date,
                       sum(r.paid_to_date) FILTER (WHERE r.value_to_date IS NOT NULL) AS paid_to_date,
                       count(*) OVER () AS total_count
                FROM realization_contract_checkpoint r
                JOIN dim_customer cu ON cu.customer_id = r.customer_id
                LEFT JOIN dim_product p ON p.product_id = r.product_id
                WHERE r.quarter_start <= :to_day AND CAST(r.quarter_start + INTERVAL 3 MONTH AS DATE) > :from_day
                  AND (NOT :at_risk_only OR r.at_risk)
                GROUP BY ALL
                ORDER BY r.quarter_start, group_key
                LIMIT :limit OFFSET :offset
                """.formatted(request.groupBy().keySql(), request.groupBy().labelSql());
        FiscalCalendar calendar = store.calendar();
        return run(handle -> {
            LocalDate dataAsOf = RealizationAsOf.of(handle, clock);
            long[] total = {0};
            List<RealizationSummaryRow> rows = handle.createQuery(sql)
                    .bind("from_day", request.from().orElse(LocalDate.of(1900, 1, 1)))
                    .bind("to_day", request.to().orElse(dataAsOf))
                    .bind("at_risk_only", request.atRiskOnly())
                    .bind("limit", request.limit())
                    .bind("offset", request.offset())
                    .map((row, context) -> {
                        total[0] = row.getLong("total_count");
                        return summaryRow(row, calendar);
                    })
                    .list();
            return new RealizationSummary(request.groupBy(), currency(), store.dataVersion(), dataAsOf, total[0], rows);
        });
    }

    /** Every certification of a contract, revisions included, oldest first. */
    public List<Certification> certifications(String contractId) {
        requireNonNull(contractId, "contractId is null");
        return run(handle -> {
            contract(handle, contractId);
            return certifications(handle, contractId);
        });
    }

    /**
     * Certifies a contract's realization for an ended fiscal quarter, with its evidence, as one
     * committed change, and publishes {@code value_realization}. A quarter already certified is
     * changed only by naming its current certification in {@code supersedes}, with a reason.
     */
    public Certification certify(CertificationRequest request) {
        requireNonNull(request, "request is null");
        validate(request);
        FiscalCalendar calendar = store.calendar();
        LocalDate quarterStart = calendar.fiscalYearStart(request.fiscalYear()).plusMonths(3L * (request.fiscalQuarter() - 1));
        LocalDate quarterEnd = quarterStart.plusMonths(3).minusDays(1);
        String quarterLabel = calendar.label(TimeGrain.QUARTER, quarterStart);
        if (quarterEnd.isAfter(LocalDate.now(clock))) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "%s has not ended yet (it ends on %s); certify a quarter once it is over"
                    .formatted(quarterLabel, quarterEnd));
        }
        synchronized (certifying) {
            ContractInfo contract = run(handle -> contract(handle, request.contractId()));
            if (contract.startDate().isAfter(quarterEnd) || contract.endDate().isBefore(quarterStart)) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "contract %s runs from %s to %s, outside %s"
                        .formatted(contract.contractId(), contract.startDate(), contract.endDate(), quarterLabel));
            }
            Optional<Certification> current = run(handle -> certifications(handle, request.contractId())).stream()
                    .filter(certification -> certification.fiscalYear() == request.fiscalYear() && certification.fiscalQuarter() == request.fiscalQuarter())
                    .filter(Certification::current)
                    .findFirst();
            checkSupersession(request, quarterLabel, current);
            LocalDate measuredAsOf = contract.endDate().isBefore(quarterEnd) ? contract.endDate() : quarterEnd;
            long basisVersion = store.dataVersion();
            ContractRealization realization = realization(request.contractId(), Optional.of(measuredAsOf));
            String certificationId = "CERT-" + UUID.randomUUID();
            int revision = current.map(certification -> certification.revision() + 1).orElse(1);
            Instant certifiedAt = clock.instant();
            long version = store.write("realization:certify", List.of("realization_certification"), handle -> {
                insertCertification(handle, certificationId, request, contract, quarterStart, quarterEnd, measuredAsOf, revision,
                        current.map(Certification::certificationId), realization, basisVersion, certifiedAt);
            });
            Certification certified = run(handle -> certifications(handle, request.contractId())).stream()
                    .filter(certification -> certification.certificationId().equals(certificationId))
                    .findFirst()
                    .orElseThrow();
            events.publish(new ValueRealizationEvent(ValueRealizationEvent.Kind.CERTIFIED, contract.contractId(), contract.customerId(), quarterLabel,
                    certificationId, current.map(Certification::certificationId).orElse(null), certified.realizationRate(),
                    current.map(Certification::realizationRate).orElse(null), certified.status(), current.map(Certification::status).orElse(null), version,
                    certifiedAt));
            return certified;
        }
    }

    /**
     * From now on, compares every contract's latest realization with the last one published after
     * each committed change of the facts it reads, on {@code executor}, and publishes the
     * differences; starts with one comparison now (which only remembers, the first time ever).
     */
    public void watch(Executor executor) {
        requireNonNull(executor, "executor is null");
        store.onDataChanged(change -> {
            if (readsAnyOf(change)) {
                executor.execute(this::publishChangesQuietly);
            }
        });
        executor.execute(this::publishChangesQuietly);
    }

    static boolean readsAnyOf(DataChanged change) {
        return change.datasets().stream().anyMatch(INPUTS::contains);
    }

    private void publishChangesQuietly() {
        try {
            publishChanges();
        }
        catch (RuntimeException e) {
            LOG.warn("value_realization changes could not be computed", e);
        }
    }

    /**
     * Publishes a {@code REALIZATION_CHANGED} event for every contract whose latest realization (rate,
     * status or milestones) differs from the one last published, and remembers the new ones. The
     * first run only remembers: there is no earlier realization to differ from.
     *
     * @return the events published
     */
    public List<ValueRealizationEvent> publishChanges() {
        synchronized (publishing) {
            refresh();
            long version = store.dataVersion();
            Instant now = clock.instant();
            List<ValueRealizationEvent> changes = run(handle -> handle.inTransaction(transaction -> {
                boolean remembered = transaction.createQuery("SELECT EXISTS (SELECT 1 FROM realization_contract_state)").mapTo(Boolean.class).one();
                transaction.execute("""
                        CREATE OR REPLACE TEMP TABLE realization_latest AS
                        SELECT contract_id, customer_id, as_of, realization_rate, status, milestones_met, milestones_due
                        FROM realization_contract_checkpoint
                        QUALIFY row_number() OVER (PARTITION BY contract_id ORDER BY as_of DESC) = 1""");
                List<ValueRealizationEvent> found = remembered ? changed(transaction, version, now) : List.of();
                transaction.execute("DELETE FROM realization_contract_state");
                transaction.createUpdate("""
                                INSERT INTO realization_contract_state
                                SELECT contract_id, as_of, realization_rate, status, milestones_met, milestones_due, :version FROM realization_latest""")
                        .bind("version", version)
                        .execute();
                return found;
            }));
            changes.forEach(events::publish);
            return changes;
        }
    }

    private static List<ValueRealizationEvent> changed(Handle handle, long version, Instant now) {
        return handle.createQuery("""
                        SELECT l.contract_id, l.customer_id, l.realization_rate, l.status, s.realization_rate AS previous_rate, s.status AS previous_status
                        FROM realization_latest l
                        LEFT JOIN realization_contract_state s ON s.contract_id = l.contract_id
                        WHERE s.contract_id IS NULL OR s.realization_rate IS DISTINCT FROM l.realization_rate OR s.status <> l.status
                           OR s.milestones_met <> l.milestones_met OR s.milestones_due <> l.milestones_due
                        ORDER BY l.contract_id""")
                .map((row, context) -> new ValueRealizationEvent(ValueRealizationEvent.Kind.REALIZATION_CHANGED, row.getString("contract_id"),
                        row.getString("customer_id"), null, null, null, row.getBigDecimal("realization_rate"), row.getBigDecimal("previous_rate"),
                        DeliveryStatus.valueOf(row.getString("status")),
                        Optional.ofNullable(row.getString("previous_status")).map(DeliveryStatus::valueOf).orElse(null), version, now))
                .list();
    }

    /** Brings {@code realization_contract_checkpoint} (and its KPI table) to the current data version. */
    public void refresh() {
        try {
            derived.ensureFresh(DerivedTables.key(DERIVED, store.config().reportingCurrency(),
                    RealizationSql.KPI_CHECKPOINTS + RealizationSql.CONTRACT_CHECKPOINTS), BUILD_INPUTS, handle -> {
                LocalDate dataAsOf = RealizationAsOf.of(handle, clock);
                setVariables(handle, dataAsOf);
                handle.execute(RealizationSql.kpiCheckpoints(RealizationSql.allCheckpoints(), "realization_kpi_checkpoint", false));
                handle.createUpdate(RealizationSql.contractCheckpoints(RealizationSql.allCheckpoints(), "realization_kpi_checkpoint",
                                "realization_contract_checkpoint", false))
                        .bind("reporting_currency", store.config().reportingCurrency())
                        .execute();
            });
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }

    private static void setVariables(Handle handle, LocalDate dataAsOf) {
        handle.execute("SET VARIABLE realization_data_as_of = DATE '" + dataAsOf + "'");
        handle.execute("SET VARIABLE realization_at_risk_below = " + AT_RISK_BELOW.toPlainString());
    }

    private List<RealizationCheckpoint> computeDetail(Handle handle, ContractInfo contract, LocalDate day) {
        setVariables(handle, day);
        handle.createUpdate("""
                        CREATE OR REPLACE TEMP TABLE realization_checkpoint AS
                        SELECT CAST(:contract_id AS VARCHAR) AS contract_id, quarter_start, least(quarter_end, CAST(:end_date AS DATE), CAST(:day AS DATE)) AS as_of
                        FROM (SELECT DISTINCT fiscal_quarter_start AS quarter_start,
                                     CAST(fiscal_quarter_start + INTERVAL 3 MONTH AS DATE) - 1 AS quarter_end FROM dim_date)
                        WHERE quarter_start <= least(CAST(:end_date AS DATE), CAST(:day AS DATE)) AND quarter_end >= CAST(:start_date AS DATE)""")
                .bind("contract_id", contract.contractId())
                .bind("start_date", contract.startDate())
                .bind("end_date", contract.endDate())
                .bind("day", day)
                .execute();
        handle.execute(RealizationSql.kpiCheckpoints("realization_checkpoint", "realization_kpi_detail", true));
        handle.createUpdate(RealizationSql.contractCheckpoints("realization_checkpoint", "realization_kpi_detail", "realization_contract_detail", true))
                .bind("reporting_currency", store.config().reportingCurrency())
                .execute();
        FiscalCalendar calendar = store.calendar();
        return handle.createQuery("SELECT * FROM realization_contract_detail ORDER BY as_of")
                .map((row, context) -> checkpoint(row, calendar))
                .list();
    }

    private static RealizationCheckpoint checkpoint(ResultSet row, FiscalCalendar calendar) throws SQLException {
        Integer seatsUsed = (Integer) row.getObject("seats_used");
        Integer seatsLicensed = (Integer) row.getObject("seats_licensed");
        BigDecimal valueToDate = row.getBigDecimal("value_to_date");
        BigDecimal paidToDate = row.getBigDecimal("paid_to_date");
        return new RealizationCheckpoint(row.getObject("as_of", LocalDate.class),
                calendar.label(TimeGrain.QUARTER, row.getObject("quarter_start", LocalDate.class)), row.getInt("commitments"),
                row.getInt("measured_commitments"), row.getBigDecimal("realization_rate"), DeliveryStatus.valueOf(row.getString("status")),
                row.getBoolean("at_risk"), row.getInt("milestones_met"), row.getInt("milestones_due"),
                row.getObject("utilization_measured_on", LocalDate.class), seatsUsed, seatsLicensed,
                seatsUsed == null ? null : Decimals.percent(BigDecimal.valueOf(seatsUsed), BigDecimal.valueOf(seatsLicensed)).orElse(null),
                row.getBigDecimal("feature_adoption_pct"), row.getBigDecimal("unused_license_value"), valueToDate,
                row.getObject("valued_on", LocalDate.class), paidToDate, valueToDate == null ? null : roi(valueToDate, paidToDate),
                row.getBigDecimal("projected_value_at_end"));
    }

    private static KpiRealization kpi(ResultSet row) throws SQLException {
        return new KpiRealization(row.getString("commitment_id"), row.getString("kpi"), row.getString("unit"), row.getBoolean("point_in_time"),
                row.getBigDecimal("target_value"), row.getObject("period_start", LocalDate.class), row.getObject("period_end", LocalDate.class),
                row.getObject("measured_on", LocalDate.class), row.getBigDecimal("delivered_value"), row.getBigDecimal("due_value"),
                row.getBigDecimal("realization_rate"), row.getInt("milestones_met"), row.getInt("milestones_due"),
                DeliveryStatus.valueOf(row.getString("status")));
    }

    private static RealizationSummaryRow summaryRow(ResultSet row, FiscalCalendar calendar) throws SQLException {
        LocalDate quarterStart = row.getObject("quarter_start", LocalDate.class);
        BigDecimal measuredValue = row.getBigDecimal("measured_value");
        BigDecimal weightedRate = row.getBigDecimal("weighted_rate");
        BigDecimal valueToDate = row.getBigDecimal("value_to_date");
        BigDecimal paidToDate = row.getBigDecimal("paid_to_date");
        long seatsUsed = row.getLong("seats_used");
        long seatsLicensed = row.getLong("seats_licensed");
        return new RealizationSummaryRow(quarterStart, calendar.label(TimeGrain.QUARTER, quarterStart), row.getString("group_key"),
                row.getString("group_label"), row.getLong("contracts"), row.getLong("measured_contracts"), row.getBigDecimal("committed_value"),
                Decimals.percent(weightedRate, measuredValue).orElse(null), row.getLong("milestones_met"), row.getLong("milestones_due"),
                row.getLong("at_risk_contracts"), seatsUsed, seatsLicensed,
                Decimals.percent(BigDecimal.valueOf(seatsUsed), BigDecimal.valueOf(seatsLicensed)).orElse(null),
                row.getBigDecimal("unused_license_value"), valueToDate, paidToDate,
                valueToDate == null ? null : Decimals.percent(valueToDate.subtract(paidToDate), paidToDate).orElse(null));
    }

    /** value ÷ paid − 1 at 6 decimals; null when nothing was paid yet. */
    static BigDecimal roi(BigDecimal value, BigDecimal paid) {
        if (value == null || paid == null || paid.signum() == 0) {
            return null;
        }
        return value.divide(paid, 6, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE);
    }

    record ContractInfo(String contractId, String customerId, String customerName, String segment, String productId, LocalDate startDate,
            LocalDate endDate, int licensedSeats, BigDecimal committedReporting) {}

    private ContractInfo contract(Handle handle, String contractId) {
        String sql = """
                SELECT c.contract_id, c.customer_id, cu.customer_name, cu.segment, c.product_id, c.start_date, c.end_date, c.licensed_seats,
                       %s AS committed_reporting
                FROM dim_contract c
                LEFT JOIN dim_customer cu ON cu.customer_id = c.customer_id
                %s
                WHERE c.contract_id = :contract_id""".formatted(
                CurrencyConversion.convertedAmount("c.committed_value", "c.currency_code", "c.start_date", "fxc"),
                CurrencyConversion.join("c.currency_code", "c.start_date", "fxc"));
        return handle.createQuery(sql)
                .bind("contract_id", contractId)
                .bind("reporting_currency", store.config().reportingCurrency())
                .map((row, context) -> new ContractInfo(row.getString("contract_id"), row.getString("customer_id"), row.getString("customer_name"),
                        row.getString("segment"), row.getString("product_id"), row.getObject("start_date", LocalDate.class),
                        row.getObject("end_date", LocalDate.class), row.getInt("licensed_seats"), row.getBigDecimal("committed_reporting")))
                .findOne()
                .orElseThrow(() -> new FinhubException(ErrorCode.NOT_FOUND, "no contract " + contractId));
    }

    private static void validate(CertificationRequest request) {
        if (request.fiscalQuarter() < 1 || request.fiscalQuarter() > 4) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "fiscalQuarter must be 1..4, was " + request.fiscalQuarter());
        }
        if (request.fiscalYear() < 1900 || request.fiscalYear() > 2200) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "fiscalYear " + request.fiscalYear() + " is out of range");
        }
        if (request.certifiedBy().isBlank()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "certifiedBy names who certifies; it must not be blank");
        }
        if (request.evidence().isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "a certification needs at least one piece of evidence");
        }
        if (request.evidence().stream().anyMatch(evidence -> evidence.kind().isBlank() || evidence.reference().isBlank())) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "every piece of evidence needs a kind and a reference");
        }
    }

    private static void checkSupersession(CertificationRequest request, String quarterLabel, Optional<Certification> current) {
        if (current.isEmpty()) {
            if (request.supersedes().isPresent()) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "%s of %s is not certified yet, so there is nothing to supersede"
                        .formatted(quarterLabel, request.contractId()));
            }
            return;
        }
        Certification existing = current.get();
        if (request.supersedes().isEmpty()) {
            throw new FinhubException(ErrorCode.ALREADY_CERTIFIED,
                    "%s of %s is already certified (%s, revision %d) and cannot be changed; to correct it, certify again with supersedes: \"%s\" and a reason"
                            .formatted(quarterLabel, request.contractId(), existing.certificationId(), existing.revision(), existing.certificationId()));
        }
        if (!request.supersedes().get().equals(existing.certificationId())) {
            throw new FinhubException(ErrorCode.ALREADY_CERTIFIED, "the current certification of %s of %s is %s, not %s"
                    .formatted(quarterLabel, request.contractId(), existing.certificationId(), request.supersedes().get()));
        }
        if (request.reason().filter(reason -> !reason.isBlank()).isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "superseding a certification needs a reason");
        }
    }

    private void insertCertification(Handle handle, String certificationId, CertificationRequest request, ContractInfo contract,
            LocalDate quarterStart, LocalDate quarterEnd, LocalDate measuredAsOf, int revision, Optional<String> supersedes,
            ContractRealization realization, long basisVersion, Instant certifiedAt) {
        RealizationCheckpoint figures = realization.current();
        handle.createUpdate("""
                        INSERT INTO realization_certification VALUES (:id, :contract_id, :customer_id, :fiscal_year, :fiscal_quarter, :quarter_start,
                            :quarter_end, :measured_as_of, :revision, :supersedes, :rate, :status, :met, :due, :value, :paid, :roi, :currency, :certified_by,
                            :reason, :note, :basis, :certified_at)""")
                .bind("id", certificationId)
                .bind("contract_id", contract.contractId())
                .bind("customer_id", contract.customerId())
                .bind("fiscal_year", request.fiscalYear())
                .bind("fiscal_quarter", request.fiscalQuarter())
                .bind("quarter_start", quarterStart)
                .bind("quarter_end", quarterEnd)
                .bind("measured_as_of", measuredAsOf)
                .bind("revision", revision)
                .bind("supersedes", supersedes.orElse(null))
                .bind("rate", figures.realizationRate())
                .bind("status", figures.status().name())
                .bind("met", figures.milestonesMet())
                .bind("due", figures.milestonesDue())
                .bind("value", figures.valueToDate())
                .bind("paid", figures.paidToDate())
                .bind("roi", figures.roi())
                .bind("currency", currency())
                .bind("certified_by", request.certifiedBy())
                .bind("reason", request.reason().orElse(null))
                .bind("note", request.note().orElse(null))
                .bind("basis", basisVersion)
                .bind("certified_at", LocalDateTime.ofInstant(certifiedAt, ZoneOffset.UTC))
                .execute();
        for (KpiRealization kpi : realization.commitments()) {
            handle.createUpdate("""
                            INSERT INTO realization_certification_kpi VALUES (:id, :commitment_id, :kpi, :unit, :target, :due, :delivered, :measured_on,
                                :rate, :status)""")
                    .bind("id", certificationId)
                    .bind("commitment_id", kpi.commitmentId())
                    .bind("kpi", kpi.kpi())
                    .bind("unit", kpi.unit())
                    .bind("target", kpi.target())
                    .bind("due", kpi.due())
                    .bind("delivered", kpi.delivered())
                    .bind("measured_on", kpi.measuredOn())
                    .bind("rate", kpi.realizationRate())
                    .bind("status", kpi.status().name())
                    .execute();
        }
        int number = 0;
        for (Evidence evidence : request.evidence()) {
            handle.createUpdate("INSERT INTO realization_certification_evidence VALUES (:id, :number, :kind, :reference, :description)")
                    .bind("id", certificationId)
                    .bind("number", ++number)
                    .bind("kind", evidence.kind())
                    .bind("reference", evidence.reference())
                    .bind("description", evidence.description())
                    .execute();
        }
    }

    private List<Certification> certifications(Handle handle, String contractId) {
        FiscalCalendar calendar = store.calendar();
        List<Certification> certifications = new ArrayList<>();
        handle.createQuery("""
                        SELECT c.*, s.certification_id AS superseded_by
                        FROM realization_certification c
                        LEFT JOIN realization_certification s ON s.supersedes_id = c.certification_id
                        WHERE c.contract_id = :contract_id
                        ORDER BY c.fiscal_year, c.fiscal_quarter, c.revision""")
                .bind("contract_id", contractId)
                .map((row, context) -> {
                    String id = row.getString("certification_id");
                    LocalDate quarterStart = row.getObject("quarter_start", LocalDate.class);
                    return new Certification(id, row.getString("contract_id"), row.getString("customer_id"), row.getInt("fiscal_year"),
                            row.getInt("fiscal_quarter"), calendar.label(TimeGrain.QUARTER, quarterStart), quarterStart,
                            row.getObject("quarter_end", LocalDate.class), row.getObject("measured_as_of", LocalDate.class), row.getInt("revision"),
                            row.getString("supersedes_id"), row.getString("superseded_by"), row.getString("superseded_by") == null,
                            row.getBigDecimal("realization_rate"), DeliveryStatus.valueOf(row.getString("status")), row.getInt("milestones_met"),
                            row.getInt("milestones_due"), row.getBigDecimal("value_to_date"), row.getBigDecimal("paid_to_date"), row.getBigDecimal("roi"),
                            row.getString("reporting_currency"), row.getString("certified_by"), row.getString("reason"), row.getString("note"),
                            row.getLong("basis_data_version"), row.getObject("certified_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), List.of(), List.of());
                })
                .forEach(certifications::add);
        List<Certification> complete = new ArrayList<>();
        for (Certification certification : certifications) {
            List<KpiRealization> kpis = handle.createQuery("""
                            SELECT k.*, NULL AS period_start, NULL AS period_end, 0 AS milestones_met, 0 AS milestones_due,
                                   k.unit IN ('percent', 'pct', 'ratio', 'score') AS point_in_time
                            FROM realization_certification_kpi k WHERE certification_id = :id ORDER BY kpi, commitment_id""")
                    .bind("id", certification.certificationId())
                    .map((row, context) -> kpi(row))
                    .list();
            List<Evidence> evidence = handle.createQuery("""
                            SELECT kind, reference, description FROM realization_certification_evidence WHERE certification_id = :id ORDER BY evidence_no""")
                    .bind("id", certification.certificationId())
                    .map((row, context) -> new Evidence(row.getString("kind"), row.getString("reference"), row.getString("description")))
                    .list();
            complete.add(withDetail(certification, kpis, evidence));
        }
        return complete;
    }

    private static Certification withDetail(Certification c, List<KpiRealization> kpis, List<Evidence> evidence) {
        return new Certification(c.certificationId(), c.contractId(), c.customerId(), c.fiscalYear(), c.fiscalQuarter(), c.quarterLabel(),
                c.quarterStart(), c.quarterEnd(), c.measuredAsOf(), c.revision(), c.supersedesId(), c.supersededById(), c.current(),
                c.realizationRate(), c.status(), c.milestonesMet(), c.milestonesDue(), c.valueToDate(), c.paidToDate(), c.roi(), c.currency(),
                c.certifiedBy(), c.reason(), c.note(), c.basisDataVersion(), c.certifiedAt(), kpis, evidence);
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
