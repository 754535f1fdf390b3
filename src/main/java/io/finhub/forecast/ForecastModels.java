package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.finhub.catalog.CurrencyConversion;
import io.finhub.realization.RealizationAsOf;
import io.finhub.realization.RealizationDerivedTables;
import io.finhub.store.DerivedTables;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The renewal cases and the renewal model, derived from the facts. For the day the data runs to
 * they are built once per facts version and kept in the store ({@code forecast_renewal_case_<currency>},
 * {@code forecast_model}), so a freshly started server forecasts without refitting; for another
 * as-of date they are computed on the spot (the model cached in memory per facts version and day).
 */
final class ForecastModels {
    /** The stored cases before they were kept per reporting currency (dropped by the next build). */
    private static final String UNSUFFIXED_CASES_TABLE = "forecast_renewal_case";
    private static final Logger LOG = LoggerFactory.getLogger(ForecastModels.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;
    private final String casesTable;
    /** What no as-of date changes, stored with the cases: contracts, and renewal opportunities, health scores and utilisation readings with their spans. */
    private final ForecastSql.Stored storedTables;
    /** The stored cases' derived-table key, fixed per instance (it fingerprints some 20 KB of SQL; not worth redoing per forecast). */
    private final String buildKey;
    private final RealizationDerivedTables derived;
    private final BackDatedCases days;
    /** The model and decided counts of each back-dated day's cases, by their table. */
    private final Cache<String, DayModel> dayModels = Caffeine.newBuilder().maximumSize(4L * BackDatedCases.MAX_DAYS).build();
    /** Expansion win rates per facts version and day, and the stored model of the latest facts version: read once, not per forecast. */
    private final Cache<String, Double> winRates = Caffeine.newBuilder().maximumSize(256).build();
    private volatile StoredModel lastStored;
    private volatile DecidedHistory history;

    ForecastModels(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.casesTable = casesTable(store.config().reportingCurrency());
        String suffix = casesTable.substring(UNSUFFIXED_CASES_TABLE.length());
        this.storedTables = new ForecastSql.Stored("forecast_contract" + suffix, "forecast_renewal_span" + suffix, "forecast_health_span" + suffix,
                "forecast_usage_span" + suffix);
        this.derived = new RealizationDerivedTables(store);
        this.days = new BackDatedCases(store, store.config().reportingCurrency(), ForecastSql.RENEWAL_CASES + "\n" + storedCases("true") + "\n"
                + ForecastSql.renewalCasesNotCopied(storedTables) + "\n" + ForecastSql.RENEWAL_SPANS + "\n" + ForecastSql.HEALTH_SPANS + "\n"
                + ForecastSql.USAGE_SPANS + "\n" + copiedCases() + "\n" + STORED_PROBABILITY);
        // The definition names the table and its extra column: a store built under another name or without the column is rebuilt.
        // Tracked under the currency's own cases table, which no other currency's build replaces.
        this.buildKey = DerivedTables.key(casesTable, storedCases("true") + "\n" + ForecastSql.CONTRACTS + "\n"
                + ForecastSql.RENEWAL_SPANS + "\n" + ForecastSql.HEALTH_SPANS + "\n" + ForecastSql.USAGE_SPANS + "\n" + casesTable + "\n" + STORED_PROBABILITY);
    }

    /**
     * The cases and model of one forecast: which table holds the cases (with the columns of
     * {@code renewal_cases.sql} and the model's probability), the model, and the fallback rates.
     * Close it when the forecast has read the cases table: a back-dated day's table is kept from
     * being dropped until then. {@code dataRunsTo} is the day the data runs to (the default as-of day).
     */
    record Scope(LocalDate asOf, LocalDate horizonEnd, LocalDate dataRunsTo, String casesTable, Optional<RenewalModel> model, double historicalRate,
            double expansionWinRate, long factsVersion, BackDatedCases.Lease lease) implements AutoCloseable {
        /** Each case's model probability in SQL over the cases table: computed once, when the table was built. */
        Optional<String> probabilitySql() {
            return model.map(fitted -> STORED_PROBABILITY);
        }

        /**
         * The instant before which an adjustment must have been recorded to count: the end of a
         * back-dated day (one before the day the data runs to), which cannot know of later ones;
         * empty for the day the data runs to (and later), which shows every adjustment in force now.
         */
        Optional<LocalDateTime> adjustmentsRecordedBefore() {
            return asOf.isBefore(dataRunsTo) ? Optional.of(asOf.plusDays(1).atStartOfDay()) : Optional.empty();
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    /** The model of a back-dated day's cases and how many of them were decided and renewed. */
    record DayModel(Optional<RenewalModel> model, long cases, long renewed) {}

    /** The table a back-dated day's cases were staged in, and how many decided cases were copied to it from the stored ones. */
    record Staged(String table, long reused) {}

    /**
     * The stored cases' column with the model's probability of each open case, computed once per build
     * (scoring 92,000 open renewals took a third of the lines' time on m); a decided case counts at its
     * outcome and has none. Part of the stored table's definition (see {@link #refresh}), so tables
     * built without it are rebuilt.
     */
    static final String STORED_PROBABILITY = "stored_model_probability";

    /** The last day of the fiscal quarter {@code quarters} after the one holding {@code asOf}. */
    LocalDate horizonEnd(LocalDate asOf, int quarters) {
        FiscalCalendar calendar = store.calendar();
        return calendar.periodStart(TimeGrain.QUARTER, asOf).plusMonths(3L * (quarters + 1)).minusDays(1);
    }

    /** Brings the stored cases and model to the current facts version. */
    long refresh() {
        String currency = store.config().reportingCurrency();
        try {
            return derived.ensureFresh(buildKey, handle -> build(handle, currency));
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }

    private void build(Handle handle, String currency) {
        long started = System.nanoTime();
        LocalDate asOf = RealizationAsOf.of(handle, clock);
        LocalDate horizonEnd = horizonEnd(asOf, ForecastService.MAX_HORIZON_QUARTERS);
        handle.execute("DROP TABLE IF EXISTS " + UNSUFFIXED_CASES_TABLE);
        handle.execute("CREATE OR REPLACE TABLE " + storedTables.contracts() + " AS " + ForecastSql.CONTRACTS + " ORDER BY end_date");
        handle.execute("CREATE OR REPLACE TABLE " + storedTables.renewalSpans() + " AS " + ForecastSql.RENEWAL_SPANS);
        handle.execute("CREATE OR REPLACE TABLE " + storedTables.healthSpans() + " AS " + ForecastSql.HEALTH_SPANS);
        handle.execute("CREATE OR REPLACE TABLE " + storedTables.usageSpans() + " AS " + ForecastSql.USAGE_SPANS);
        handle.createUpdate("CREATE OR REPLACE TABLE " + casesTable + " AS " + storedCases("true"))
                .bind("include_decided", true)
                .bind("as_of", asOf)
                .bind("horizon_end", horizonEnd)
                .bind("reporting_currency", currency)
                .execute();
        Optional<RenewalModel> model = RenewalModel.fit(handle, casesTable, asOf);
        handle.execute("ALTER TABLE " + casesTable + " ADD COLUMN " + STORED_PROBABILITY + " DOUBLE");
        model.ifPresent(fitted -> handle.execute("UPDATE " + casesTable + " SET " + STORED_PROBABILITY + " = " + fitted.probabilitySql(0) + " WHERE NOT decided"));
        long[] decided = decidedCounts(handle, casesTable);
        handle.createUpdate("DELETE FROM forecast_model_factor WHERE reporting_currency = :currency").bind("currency", currency).execute();
        handle.createUpdate("INSERT OR REPLACE INTO forecast_model VALUES (:currency, :facts, :trained, :horizon, :cases, :renewed, :intercept, :built)")
                .bind("currency", currency)
                .bind("facts", RealizationDerivedTables.factsVersion(handle))
                .bind("trained", asOf)
                .bind("horizon", horizonEnd)
                .bind("cases", decided[0])
                .bind("renewed", decided[1])
                .bind("intercept", model.map(fitted -> fitted.coefficients()[0]).orElse(null))
                .bind("built", LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .execute();
        model.ifPresent(fitted -> {
            for (RenewalFactor factor : RenewalFactor.values()) {
                int j = factor.ordinal();
                handle.createUpdate("INSERT INTO forecast_model_factor VALUES (:currency, :factor, :mean, :deviation, :coefficient)")
                        .bind("currency", currency)
                        .bind("factor", factor.name())
                        .bind("mean", fitted.means()[j])
                        .bind("deviation", fitted.deviations()[j])
                        .bind("coefficient", fitted.coefficients()[j + 1])
                        .execute();
            }
        });
        LOG.info("renewal cases and model built as of {} ({} decided renewals) in {} ms", asOf, decided[0], (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The scope of a forecast as of {@code asOf} (default: the day the stored model was built for).
     * For another day the cases are staged once per facts version and kept (see {@link BackDatedCases}).
     */
    Scope scope(Handle handle, Optional<LocalDate> asOf, int horizonQuarters) {
        long factsVersion = refresh();
        String currency = store.config().reportingCurrency();
        StoredModel stored = stored(handle, currency, factsVersion);
        LocalDate day = asOf.orElse(stored.trainedThrough());
        LocalDate horizonEnd = horizonEnd(day, horizonQuarters);
        double expansionWinRate = winRates.get(factsVersion + "|" + day, key -> expansionWinRate(handle, day));
        if (day.equals(stored.trainedThrough())) {
            return new Scope(day, horizonEnd, stored.trainedThrough(), casesTable, stored.model(), stored.historicalRate(), expansionWinRate, factsVersion,
                    BackDatedCases.Lease.NONE);
        }
        BackDatedCases.Lease lease = days.lease();
        try {
            String table = days.get(handle, day, factsVersion, () -> stage(handle, day, false).table());
            DayModel model = dayModel(handle, table, day);
            return new Scope(day, horizonEnd, stored.trainedThrough(), table, model.model(), historicalRate(model.cases(), model.renewed()), expansionWinRate,
                    factsVersion, lease);
        }
        catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * The model of the cases of {@code table} (as of {@code day}): read from the table's comment, where
     * staging left it (another service on the store does not fit it again), else fitted again.
     */
    private DayModel dayModel(Handle handle, String table, LocalDate day) {
        return dayModels.get(table, key -> described(handle, table, day).orElseGet(() -> refitted(handle, table, day)));
    }

    /**
     * The model of a day's cases fitted again: a day staged with copies of the stored cases holds only
     * those ending on or after the day, so its model learns from the others in memory, which must be of
     * the table's facts version.
     */
    private DayModel refitted(Handle handle, String table, LocalDate day) {
        long version = BackDatedCases.version(table);
        StoredModel stored = stored(handle, store.config().reportingCurrency());
        if (!day.isBefore(stored.trainedThrough())) {
            return fitted(handle, table, day);
        }
        if (stored.factsVersion() != version) {
            throw new IllegalStateException("the cases of " + table + " are of facts version " + version + ", the stored cases of " + stored.factsVersion()
                    + "; the next forecast stages the day again");
        }
        String staged = "(SELECT * FROM " + table + " t WHERE NOT (" + DecidedHistory.COPIED.replace(":day", "DATE '" + day + "'") + "))";
        return history(handle, version).fit(handle, staged, day);
    }

    private static DayModel fitted(Handle handle, String table, LocalDate day) {
        long[] decided = decidedCounts(handle, table);
        return new DayModel(RenewalModel.fit(handle, table, day), decided[0], decided[1]);
    }

    /** The day's model as JSON, for the comment of its table; empty when a value has no exact JSON form. */
    private static Optional<String> describe(DayModel model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cases", model.cases());
        json.put("renewed", model.renewed());
        model.model().ifPresent(fitted -> json.put("model", Map.of("cases", fitted.cases(), "renewed", fitted.renewed(), "means", fitted.means(),
                "deviations", fitted.deviations(), "coefficients", fitted.coefficients())));
        boolean finite = model.model().stream()
                .flatMap(fitted -> java.util.stream.Stream.of(fitted.means(), fitted.deviations(), fitted.coefficients()))
                .flatMapToDouble(java.util.Arrays::stream)
                .allMatch(Double::isFinite);
        try {
            return finite ? Optional.of(JSON.writeValueAsString(json)) : Optional.empty();
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model a staged table's comment describes (Java writes and reads doubles exactly); empty without a readable one. */
    private static Optional<DayModel> described(Handle handle, String table, LocalDate day) {
        Optional<String> comment = BackDatedCases.comment(handle, table);
        try {
            if (comment.isEmpty() || comment.get() == null || comment.get().isBlank()) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(comment.get());
            JsonNode fitted = json.path("model");
            Optional<RenewalModel> model = fitted.isMissingNode() ? Optional.empty()
                    : Optional.of(new RenewalModel(day, fitted.get("cases").asInt(), fitted.get("renewed").asInt(), doubles(fitted.get("means")),
                            doubles(fitted.get("deviations")), doubles(fitted.get("coefficients"))));
            return Optional.of(new DayModel(model, json.get("cases").asLong(), json.get("renewed").asLong()));
        }
        catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("the model of {} could not be read from its comment; fitting it again: {}", table, e.getMessage());
            return Optional.empty();
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    /**
     * The stored cases of {@code currency}: one table per reporting currency, as their amounts are
     * converted to it (one shared table served a database opened in EUR, then USD, then EUR again with
     * the USD amounts).
     */
    static String casesTable(String currency) {
        if (!currency.matches("[A-Za-z]{3}")) {
            throw new IllegalArgumentException("not an ISO 4217 currency code: " + currency);
        }
        return UNSUFFIXED_CASES_TABLE + "_" + currency.toLowerCase(Locale.ROOT);
    }

    /** The renewal cases SQL over the stored contracts and renewal spans (current when the stored cases are). */
    private String storedCases(String caseFilter) {
        return ForecastSql.renewalCases(caseFilter, storedTables);
    }

    /**
     * The stored cases whose rows as of {@code :day} (before the stored day) are the same and that a
     * forecast as of the day lists (ending on or after it): see {@link #stage}.
     */
    private String copiedCases() {
        return "(SELECT * EXCLUDE (" + STORED_PROBABILITY + ") FROM " + casesTable + ") AS t WHERE " + DecidedHistory.COPIED + " AND t.end_date >= :day";
    }

    /**
     * Stages the cases as of {@code day} into their day's table, with each case's probability under the
     * day's model ({@link #STORED_PROBABILITY}). For a day before the stored
     * cases' day, the decided cases whose signals cannot differ are taken from the stored ones instead
     * of recomputed: a renewal decided by {@code day} whose term ends in a fiscal quarter that starts by
     * {@code day} has that quarter's first day as its snapshot on both days, and every signal is read as
     * of the snapshot; only a renewal opportunity created after {@code day} (which the stored case may
     * have picked instead) rules a contract out. The model learns from them in memory ({@link DecidedHistory});
     * only those a forecast as of the day lists (ending on or after it) are copied to the day's table,
     * so it holds the day's cases but those decided ones ending before the day. One transaction, so the stored cases and the facts are
     * read at the same version; when the stored cases are not of that version everything is computed
     * from the facts alone, else from the stored contracts and renewal spans. The table is named after
     * the facts version read (see {@link BackDatedCases#table}).
     */
    Staged stage(Handle handle, LocalDate day) {
        return stage(handle, day, true);
    }

    /**
     * As {@link #stage(Handle, LocalDate)}; unless {@code replace}, a table the day already has at the
     * facts version read is returned as it is (another forecast may be reading it; its name says what it holds).
     */
    private Staged stage(Handle handle, LocalDate day, boolean replace) {
        String currency = store.config().reportingCurrency();
        return handle.inTransaction(transaction -> {
            long started = System.nanoTime();
            StoredModel stored = stored(transaction, currency);
            long factsVersion = RealizationDerivedTables.factsVersion(transaction);
            String table = days.table(day, factsVersion);
            if (!replace && days.exists(transaction, table)) {
                return new Staged(table, 0);
            }
            // The stored cases, contracts and spans were built together: current, or all three of older facts.
            boolean current = stored.factsVersion() == factsVersion;
            boolean reuse = current && day.isBefore(stored.trainedThrough());
            String cases = !current ? ForecastSql.renewalCases("true") : reuse ? ForecastSql.renewalCasesNotCopied(storedTables) : storedCases("true");
            transaction.createUpdate("CREATE OR REPLACE TABLE " + table + " AS " + cases)
                    .bind("include_decided", true)
                    .bind("as_of", day)
                    .bind("horizon_end", horizonEnd(day, ForecastService.MAX_HORIZON_QUARTERS))
                    .bind("reporting_currency", currency)
                    .execute();
            long computed = System.nanoTime();
            // The model first, while the table holds the staged cases only (the copied ones come from memory).
            DayModel dayModel = reuse ? history(transaction, factsVersion).fit(transaction, table, day) : fitted(transaction, table, day);
            long modelled = System.nanoTime();
            long reused = 0;
            if (reuse) {
                // The copied cases are the stored ones the condition keeps; the staged ones, those the same condition on the spans leaves out.
                reused = transaction.createUpdate("INSERT INTO " + table + " BY NAME SELECT * FROM " + copiedCases()).bind("day", day).execute();
            }
            dayModels.put(table, dayModel);
            Optional<RenewalModel> model = dayModel.model();
            transaction.execute("ALTER TABLE " + table + " ADD COLUMN " + STORED_PROBABILITY + " DOUBLE");
            model.ifPresent(fitted -> transaction.execute("UPDATE " + table + " SET " + STORED_PROBABILITY + " = " + fitted.probabilitySql(0) + " WHERE NOT decided"));
            describe(dayModel).ifPresent(json -> transaction.execute("COMMENT ON TABLE " + table + " IS '" + json.replace("'", "''") + "'"));
            LOG.info("renewal cases as of {}: staged in {} ms, model fitted in {} ms, {} decided cases copied from the stored ones and the model applied in {} ms",
                    day, (computed - started) / 1_000_000, (modelled - computed) / 1_000_000, reused, (System.nanoTime() - modelled) / 1_000_000);
            return new Staged(table, reused);
        });
    }

    /**
     * Reads the stored decided cases into memory unless they are there, so that the first back-dated
     * forecast after a change does not (4.7 s on the l scale, 0.7 s on m); the server calls it in the
     * background after each build.
     */
    void prepareHistory() {
        store.jdbi().useTransaction(handle -> history(handle, stored(handle, store.config().reportingCurrency()).factsVersion()));
    }

    /** The stored decided cases of {@code factsVersion} (the stored cases' version): kept from the last call at that version, else read. */
    private DecidedHistory history(Handle handle, long factsVersion) {
        DecidedHistory kept = history;
        if (kept != null && kept.factsVersion() == factsVersion) {
            return kept;
        }
        synchronized (this) {
            if (history == null || history.factsVersion() != factsVersion) {
                history = null; // the older one's memory is free while the new one is read
                history = DecidedHistory.read(handle, casesTable, factsVersion);
            }
            return history;
        }
    }

    /** How many cases of {@code table} are decided, and how many of those renewed. */
    private static long[] decidedCounts(Handle handle, String table) {
        return handle.createQuery("SELECT count(*), count(*) FILTER (WHERE renewed) FROM " + table + " WHERE decided")
                .map((row, context) -> new long[] {row.getLong(1), row.getLong(2)})
                .one();
    }

    private record StoredModel(LocalDate trainedThrough, Optional<RenewalModel> model, double historicalRate, long factsVersion) {}

    private record Header(LocalDate trainedThrough, int cases, int renewed, Optional<Double> intercept, long factsVersion) {}

    /** The stored model, from memory when it was read for {@code factsVersion} already. */
    private StoredModel stored(Handle handle, String currency, long factsVersion) {
        StoredModel cached = lastStored;
        if (cached != null && cached.factsVersion() == factsVersion) {
            return cached;
        }
        StoredModel read = stored(handle, currency);
        if (read.factsVersion() == factsVersion) {
            lastStored = read;
        }
        return read;
    }

    private StoredModel stored(Handle handle, String currency) {
        Header header = handle.createQuery("SELECT trained_through, cases, renewed, intercept, facts_version FROM forecast_model WHERE reporting_currency = :currency")
                .bind("currency", currency)
                .map((row, context) -> new Header(row.getObject("trained_through", LocalDate.class), row.getInt("cases"), row.getInt("renewed"),
                        Optional.ofNullable((Double) row.getObject("intercept")), row.getLong("facts_version")))
                .findOne()
                .orElseThrow(() -> new IllegalStateException("the renewal model was not built"));
        Optional<RenewalModel> model = header.intercept()
                .map(intercept -> factors(handle, currency, header.trainedThrough(), header.cases(), header.renewed(), intercept));
        return new StoredModel(header.trainedThrough(), model, historicalRate(header.cases(), header.renewed()), header.factsVersion());
    }

    private RenewalModel factors(Handle handle, String currency, LocalDate trainedThrough, int cases, int renewed, double intercept) {
        int k = RenewalFactor.values().length;
        double[] means = new double[k];
        double[] deviations = new double[k];
        double[] coefficients = new double[k + 1];
        coefficients[0] = intercept;
        handle.createQuery("SELECT * FROM forecast_model_factor WHERE reporting_currency = :currency")
                .bind("currency", currency)
                .map((row, context) -> {
                    int j = RenewalFactor.valueOf(row.getString("factor")).ordinal();
                    means[j] = row.getDouble("mean");
                    deviations[j] = row.getDouble("deviation");
                    coefficients[j + 1] = row.getDouble("coefficient");
                    return j;
                })
                .list();
        return new RenewalModel(trainedThrough, cases, renewed, means, deviations, coefficients);
    }

    /** The observed renewal rate of the decided renewals; 0.5 without any. */
    static double historicalRate(long cases, long renewed) {
        return cases == 0 ? 0.5 : (double) renewed / cases;
    }

    /** The share of the expansion opportunities closed by {@code asOf} that were won; 0.5 without any. */
    private static double expansionWinRate(Handle handle, LocalDate asOf) {
        return handle.createQuery("""
                        SELECT count(*) FILTER (WHERE stage = 'CLOSED_WON') AS won, count(*) AS closed
                        FROM fact_renewal_pipeline
                        WHERE kind = 'EXPANSION' AND stage IN ('CLOSED_WON', 'CLOSED_LOST') AND closed_on <= :as_of""")
                .bind("as_of", asOf)
                .map((row, context) -> historicalRate(row.getLong("closed"), row.getLong("won")))
                .one();
    }
}
