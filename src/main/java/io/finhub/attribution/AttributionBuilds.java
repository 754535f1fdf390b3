package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.attribution.AttributionMarkov.Solution;
import io.finhub.attribution.AttributionMarkov.Transition;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The derived attribution tables, kept at the store's data version. A build stages the paths (the
 * touches of every conversion within the lookback window) once per data version and adds each
 * model's credits when first asked for, each step in one transaction, so readers see either the
 * old complete results or the new ones. Results with other parameters than the configured ones
 * are built the same way under their own id; only the few most recent such builds are kept.
 *
 * <p>A build reads the fact rows up to the row ids it records ({@link Bounds}). When every change
 * since a build only appended touchpoints or deals (import batches in APPEND mode, no FX rate
 * changed), the build is brought forward incrementally ({@link AttributionIncrement}): the paths
 * and credits of the conversions those rows can reach are recomputed, the Markov transition counts
 * are adjusted by the journeys that changed and the chain is solved again. Any other change
 * rebuilds from scratch. Both ways give the same results to the cent, which the tests check.
 */
final class AttributionBuilds {
    static final String DEFAULT_BUILD = "default";
    private static final Logger LOG = LoggerFactory.getLogger(AttributionBuilds.class);
    private static final int MAX_AD_HOC_BUILDS = 4;

    private final Store store;
    private final AttributionSettings configured;
    private final AttributionEvents events;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    AttributionBuilds(Store store, AttributionSettings configured, AttributionEvents events) {
        this.store = requireNonNull(store, "store is null");
        this.configured = requireNonNull(configured, "configured is null");
        this.events = requireNonNull(events, "events is null");
    }

    AttributionSettings configured() {
        return configured;
    }

    /** A current build: its id and the data version it holds. */
    record Build(String id, long dataVersion, AttributionSettings settings) {}

    /**
     * The fact rows a build read: touchpoints and deals with a row id up to the maximum (-1: none),
     * and how many rows that was.
     */
    record Bounds(long touchRowidMax, long touchRows, long conversionRowidMax, long conversionRows) {}

    private record State(long dataVersion, int lookbackDays, BigDecimal halfLifeDays, String reportingCurrency, Set<AttributionModel> models) {}

    /** Makes sure the results of {@code models} under {@code settings} are built on the current data version. */
    Build ensure(AttributionSettings settings, Collection<AttributionModel> models) {
        String id = settings.buildId(configured);
        synchronized (locks.computeIfAbsent(id, key -> new Object())) {
            long version = store.dataVersion();
            Optional<State> stored = state(id);
            Optional<State> state = stored.filter(current -> matches(current, version, settings));
            Set<AttributionModel> built = state.map(State::models).orElse(EnumSet.noneOf(AttributionModel.class));
            List<AttributionModel> missing = models.stream().filter(model -> !built.contains(model)).distinct().sorted().toList();
            if (state.isEmpty() || !missing.isEmpty()) {
                Optional<State> earlier = stored.filter(previous -> previous.dataVersion() < version && sameParameters(previous, settings));
                boolean carried = state.isEmpty() && earlier.isPresent() && carriedForward(id, earlier.get().dataVersion(), version);
                if (carried) {
                    // No input changed since the earlier build (the background relabel of those changes has not run yet): nothing to publish.
                    List<AttributionModel> notBuilt = models.stream().filter(model -> !earlier.get().models().contains(model)).distinct().sorted().toList();
                    if (!notBuilt.isEmpty()) {
                        store.jdbi().useHandle(handle -> build(handle, id, version, settings, false, notBuilt));
                        publishIfDefault(id, version, notBuilt);
                    }
                    return new Build(id, version, settings);
                }
                store.jdbi().useHandle(handle -> {
                    if (state.isEmpty() && earlier.isPresent() && incremented(handle, id, settings, earlier.get(), version)) {
                        List<AttributionModel> notBuilt = models.stream().filter(model -> !earlier.get().models().contains(model)).distinct().sorted().toList();
                        if (!notBuilt.isEmpty()) {
                            build(handle, id, version, settings, false, notBuilt);
                        }
                    }
                    else {
                        build(handle, id, version, settings, state.isEmpty(), missing);
                    }
                });
            }
            if (state.isEmpty() || !missing.isEmpty()) {
                publishIfDefault(id, version, missing);
            }
            return new Build(id, version, settings);
        }
    }

    private void publishIfDefault(String id, long version, List<AttributionModel> models) {
        if (id.equals(DEFAULT_BUILD)) {
            events.publish(new AttributionUpdate(AttributionUpdate.Kind.MARKETING, version, models, Optional.empty(), Instant.now()));
        }
    }

    /**
     * Moves build {@code id} from data version {@code from} to {@code to} without recomputing when no
     * change in between named an input of the results (what {@link #relabel} does after each such change,
     * done here when a request asks before it ran); false if one did, or the change log is incomplete.
     */
    private boolean carriedForward(String id, long from, long to) {
        return store.jdbi().inTransaction(handle -> {
            List<List<String>> changes = handle.createQuery("SELECT array_to_string(datasets, ',') FROM finhub_data_version WHERE version > :from AND version <= :to")
                    .bind("from", from)
                    .bind("to", to)
                    .map((row, context) -> List.of(row.getString(1).split(",")))
                    .list();
            if (changes.size() != to - from || changes.stream().anyMatch(datasets -> AttributionService.affects(datasets, AttributionService.INPUTS))) {
                return false;
            }
            return handle.createUpdate("UPDATE attribution_build SET data_version = :to WHERE build_id = :id AND data_version = :from")
                    .bind("id", id)
                    .bind("from", from)
                    .bind("to", to)
                    .execute() == 1;
        });
    }

    /** Brings the build forward incrementally if it can; a failure on the way is logged and answered by a build from scratch. */
    private boolean incremented(Handle handle, String id, AttributionSettings settings, State earlier, long version) {
        try {
            return new AttributionIncrement(this, handle, id, settings, earlier.models()).apply(earlier.dataVersion(), version);
        }
        catch (RuntimeException e) {
            LOG.warn("attribution build {} could not be brought forward to data version {}; building it from scratch", id, version, e);
            return false;
        }
    }

    /**
     * Moves the marketing builds of {@code from} to {@code to} without recomputing: for a change that
     * touched none of the tables they are computed from.
     */
    void relabel(long from, long to) {
        List<String> ids = store.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT build_id FROM attribution_build WHERE data_version = :from AND build_id <> :customer_success""")
                .bind("from", from)
                .bind("customer_success", AttributionCsService.BUILD)
                .mapTo(String.class)
                .list());
        for (String id : ids) {
            synchronized (locks.computeIfAbsent(id, key -> new Object())) {
                store.jdbi().useHandle(handle -> handle.createUpdate("UPDATE attribution_build SET data_version = :to WHERE build_id = :id AND data_version = :from")
                        .bind("id", id)
                        .bind("from", from)
                        .bind("to", to)
                        .execute());
            }
        }
    }

    private boolean matches(State state, long version, AttributionSettings settings) {
        return state.dataVersion() == version && sameParameters(state, settings);
    }

    private boolean sameParameters(State state, AttributionSettings settings) {
        return state.lookbackDays() == settings.lookbackDays()
                && state.halfLifeDays().compareTo(settings.halfLifeDays()) == 0
                && state.reportingCurrency().equals(store.config().reportingCurrency());
    }

    private Optional<State> state(String id) {
        return store.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT data_version, lookback_days, half_life_days, reporting_currency, array_to_string(models, ',') AS models
                        FROM attribution_build WHERE build_id = :id""")
                .bind("id", id)
                .map((rs, context) -> new State(rs.getLong("data_version"), rs.getInt("lookback_days"), rs.getBigDecimal("half_life_days"),
                        rs.getString("reporting_currency"), models(rs.getString("models"))))
                .findOne());
    }

    private static Set<AttributionModel> models(String joined) {
        Set<AttributionModel> models = EnumSet.noneOf(AttributionModel.class);
        if (joined != null && !joined.isBlank()) {
            for (String name : joined.split(",")) {
                models.add(AttributionModel.valueOf(name));
            }
        }
        return models;
    }

    /**
     * Makes sure the results are built as {@link #ensure} does and reads them with {@code read}
     * before any other build of the same results can start, so the reader sees exactly that build.
     */
    <T> T read(AttributionSettings settings, Collection<AttributionModel> models, Function<Build, T> read) {
        synchronized (locks.computeIfAbsent(settings.buildId(configured), key -> new Object())) {
            return read.apply(ensure(settings, models));
        }
    }

    /**
     * Computes the paths (when {@code restage}) and the credits of {@code models} in this connection's
     * temporary tables, then stores them in one short transaction. Heavy queries never run inside the
     * transaction: DuckDB plans them far better over committed tables.
     */
    private void build(Handle handle, String id, long version, AttributionSettings settings, boolean restage, List<AttributionModel> models) {
        long started = System.nanoTime();
        variables(handle, id, settings);
        Optional<Bounds> known = restage ? Optional.empty() : bounds(handle, id);
        if (!restage && known.isEmpty()) {
            // Built before the store recorded what a build read: start again from the facts.
            build(handle, id, version, settings, true, models);
            return;
        }
        Bounds bounds = known.orElseGet(() -> currentBounds(handle));
        defineInputs(handle, bounds);
        if (restage) {
            AttributionSql.executeFile(handle, "touches");
            AttributionSql.executeFile(handle, "conversions");
            LOG.info("attribution paths of build {} staged on data version {} in {} ms", id, version, (System.nanoTime() - started) / 1_000_000);
        }
        else {
            AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE stage_touch AS SELECT * FROM attribution_touch WHERE build_id = getvariable('attribution_build_id')");
            AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE stage_conversion AS SELECT * FROM attribution_conversion WHERE build_id = getvariable('attribution_build_id')");
        }
        for (AttributionModel model : models) {
            if (model == AttributionModel.MARKOV) {
                stageMarkov(handle, solveMarkov(handle));
            }
            computeCredits(handle, id, model);
        }
        long storing = System.nanoTime();
        handle.useTransaction(transaction -> {
            store(transaction, id, version, settings, restage, models);
            if (restage) {
                storeBounds(transaction, id, bounds, "FULL", count(transaction, "SELECT count(*) FROM stage_conversion"));
            }
        });
        LOG.info("attribution build {} on data version {} stored in {} ms; {} ms in all", id, version, (System.nanoTime() - storing) / 1_000_000,
                (System.nanoTime() - started) / 1_000_000);
        dropStaged(handle, models);
    }

    /** One model's credits of the staged paths, in stage_credit_{model} and stage_fact_{model}. */
    static void computeCredits(Handle handle, String id, AttributionModel model) {
        long modelStarted = System.nanoTime();
        AttributionSql.setVariable(handle, "attribution_model", model.name());
        AttributionSql.executeFile(handle, "weights_" + model.name().toLowerCase(Locale.ROOT));
        AttributionSql.executeFile(handle, "credits");
        String name = model.name().toLowerCase(Locale.ROOT);
        AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE stage_credit_" + name + " AS SELECT * FROM stage_credit");
        AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE stage_fact_" + name + " AS " + AttributionSql.file("fact"));
        LOG.info("attribution model {} of build {} computed in {} ms", model, id, (System.nanoTime() - modelStarted) / 1_000_000);
    }

    static void dropStaged(Handle handle, Collection<AttributionModel> models) {
        List<String> temporary = new ArrayList<>(List.of("stage_touch", "stage_touch_delta", "stage_conversion", "stage_conversion_delta", "stage_credit",
                "attribution_weight", "stage_markov_channel", "stage_markov_transition", "stage_new_touch", "stage_new_conversion", "stage_scope",
                "stage_scope_journey", "stage_scope_touch", "stage_scope_conversion"));
        models.forEach(model -> {
            temporary.add("stage_credit_" + model.name().toLowerCase(Locale.ROOT));
            temporary.add("stage_fact_" + model.name().toLowerCase(Locale.ROOT));
        });
        for (String view : List.of("markov_path", "markov_open_touch", "input_touchpoint", "input_conversion")) {
            AttributionSql.execute(handle, "DROP VIEW IF EXISTS " + view);
        }
        temporary.forEach(table -> AttributionSql.execute(handle, "DROP TABLE IF EXISTS " + table));
    }

    // What a build read ----------------------------------------------------------------------------

    /** The fact rows there are now. */
    static Bounds currentBounds(Handle handle) {
        return handle.createQuery("""
                        SELECT (SELECT coalesce(max(rowid), -1) FROM fact_touchpoint), (SELECT count(*) FROM fact_touchpoint),
                               (SELECT coalesce(max(rowid), -1) FROM fact_conversion), (SELECT count(*) FROM fact_conversion)""")
                .map((rs, context) -> new Bounds(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .one();
    }

    static Optional<Bounds> bounds(Handle handle, String id) {
        return handle.createQuery("""
                        SELECT touch_rowid_max, touch_rows, conversion_rowid_max, conversion_rows FROM attribution_build_input WHERE build_id = :id""")
                .bind("id", id)
                .map((rs, context) -> new Bounds(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .findFirst();
    }

    static void storeBounds(Handle handle, String id, Bounds bounds, String refreshed, long changedConversions) {
        handle.createUpdate("DELETE FROM attribution_build_input WHERE build_id = :id").bind("id", id).execute();
        handle.createUpdate("INSERT INTO attribution_build_input VALUES (:id, :touch_max, :touch_rows, :conversion_max, :conversion_rows, :refreshed, :changed)")
                .bind("id", id)
                .bind("touch_max", bounds.touchRowidMax())
                .bind("touch_rows", bounds.touchRows())
                .bind("conversion_max", bounds.conversionRowidMax())
                .bind("conversion_rows", bounds.conversionRows())
                .bind("refreshed", refreshed)
                .bind("changed", changedConversions)
                .execute();
    }

    /** The build's input views: the fact rows up to {@code bounds}. */
    static void defineInputs(Handle handle, Bounds bounds) {
        AttributionSql.setVariable(handle, "attribution_touch_rowid_max", bounds.touchRowidMax());
        AttributionSql.setVariable(handle, "attribution_conversion_rowid_max", bounds.conversionRowidMax());
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP VIEW input_touchpoint AS
                SELECT * FROM fact_touchpoint WHERE rowid <= getvariable('attribution_touch_rowid_max')""");
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP VIEW input_conversion AS
                SELECT * FROM fact_conversion WHERE rowid <= getvariable('attribution_conversion_rowid_max')""");
    }

    static long count(Handle handle, String sql) {
        return handle.createQuery(sql).mapTo(Long.class).one();
    }

    private void store(Handle handle, String id, long version, AttributionSettings settings, boolean restage, List<AttributionModel> models) {
        if (restage) {
            if (!id.equals(DEFAULT_BUILD)) {
                evictAdHocBuilds(handle, id);
            }
            delete(handle, id);
            AttributionSql.execute(handle, "INSERT INTO attribution_touch SELECT * FROM stage_touch");
            AttributionSql.execute(handle, "INSERT INTO attribution_conversion SELECT * FROM stage_conversion");
            handle.createUpdate("""
                            INSERT INTO attribution_build VALUES (:id, :version, :lookback, :half_life, :currency, CAST([] AS VARCHAR[]), now()::TIMESTAMP)""")
                    .bind("id", id)
                    .bind("version", version)
                    .bind("lookback", settings.lookbackDays())
                    .bind("half_life", settings.halfLifeDays())
                    .bind("currency", store.config().reportingCurrency())
                    .execute();
        }
        for (AttributionModel model : models) {
            String name = model.name().toLowerCase(Locale.ROOT);
            handle.createUpdate("DELETE FROM attribution_credit WHERE build_id = :id AND model = :model").bind("id", id).bind("model", model.name()).execute();
            AttributionSql.execute(handle, "INSERT INTO attribution_credit SELECT * FROM stage_credit_" + name);
            handle.createUpdate("DELETE FROM attribution_fact WHERE build_id = :id AND model = :model").bind("id", id).bind("model", model.name()).execute();
            AttributionSql.execute(handle, "INSERT INTO attribution_fact SELECT * FROM stage_fact_" + name);
            if (model == AttributionModel.MARKOV) {
                storeMarkov(handle, id);
            }
            handle.createUpdate("UPDATE attribution_build SET models = list_distinct(list_append(models, :model)) WHERE build_id = :id")
                    .bind("id", id)
                    .bind("model", model.name())
                    .execute();
        }
    }

    /** Counts the transitions of every staged path and open journey, keeps them in stage_markov_transition and solves the chain. */
    private static Solution solveMarkov(Handle handle) {
        List<Transition> transitions = transitions(handle, "markov_transitions");
        if (transitions.stream().anyMatch(Transition::keyCollision)) {
            LOG.warn("two journeys share a 64-bit key; counting Markov transitions on journey ids instead");
            defineFullMarkovViews(handle);
            transitions = transitions(handle, "markov_transitions_exact");
        }
        stageTransitions(handle, transitions);
        return AttributionMarkov.solve(transitions);
    }

    /** The views markov_transitions_exact.sql reads, over every staged path and the journeys none uses. */
    static void defineFullMarkovViews(Handle handle) {
        AttributionSql.execute(handle, "CREATE OR REPLACE TEMP VIEW markov_path AS SELECT conversion_id, touch_seq, touch_count, channel_id FROM stage_touch");
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP VIEW markov_open_touch AS
                SELECT t.journey_id, t.touchpoint_id, t.channel_id, t.touched_at
                FROM input_touchpoint t
                ANTI JOIN (SELECT journey_id FROM stage_touch UNION SELECT journey_id FROM input_conversion WHERE journey_id IS NOT NULL) u
                       ON u.journey_id = t.journey_id""");
    }

    /** The transition counts a build stores with its Markov results. */
    static void stageTransitions(Handle handle, List<Transition> transitions) {
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP TABLE stage_markov_transition (from_channel VARCHAR, to_channel VARCHAR, outcome VARCHAR, transitions BIGINT)""");
        PreparedBatch batch = handle.prepareBatch("INSERT INTO stage_markov_transition VALUES (:from, :to, :outcome, :count)");
        for (Transition transition : transitions) {
            batch.bind("from", transition.from()).bind("to", transition.to()).bind("outcome", transition.to() == null ? transition.outcome() : null)
                    .bind("count", transition.count()).add();
        }
        if (!transitions.isEmpty()) {
            batch.execute();
        }
    }

    /** The removal effects of {@code solution}, as the Markov weights read them, in stage_markov_channel. */
    static void stageMarkov(Handle handle, Solution solution) {
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP TABLE stage_markov_channel (
                    channel_id VARCHAR, removal_effect DECIMAL(38, 30), weight_scaled HUGEINT, conversion_probability DECIMAL(38, 30))""");
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO stage_markov_channel VALUES (:channel, :effect, CAST(:weight AS HUGEINT), :probability)""");
        for (String channel : solution.removalEffects().keySet()) {
            batch.bind("channel", channel)
                    .bind("effect", solution.removalEffect(channel))
                    .bind("weight", solution.scaledWeight(channel).toString())
                    .bind("probability", solution.conversionProbability())
                    .add();
        }
        if (!solution.removalEffects().isEmpty()) {
            batch.execute();
        }
    }

    static List<Transition> transitions(Handle handle, String sqlFile) {
        List<Transition> transitions = new ArrayList<>();
        AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE attribution_transition AS " + AttributionSql.file(sqlFile));
        handle.createQuery("SELECT from_channel, to_channel, outcome, transitions, key_collision FROM attribution_transition")
                .map((rs, context) -> new Transition(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBoolean(5)))
                .forEach(transitions::add);
        AttributionSql.execute(handle, "DROP TABLE attribution_transition");
        return transitions;
    }

    static void storeMarkov(Handle handle, String id) {
        handle.createUpdate("DELETE FROM attribution_markov_channel WHERE build_id = :id").bind("id", id).execute();
        AttributionSql.execute(handle, "INSERT INTO attribution_markov_channel SELECT getvariable('attribution_build_id'), * FROM stage_markov_channel");
        handle.createUpdate("DELETE FROM attribution_markov_transition WHERE build_id = :id").bind("id", id).execute();
        AttributionSql.execute(handle, "INSERT INTO attribution_markov_transition SELECT getvariable('attribution_build_id'), * FROM stage_markov_transition");
    }

    void variables(Handle handle, String id, AttributionSettings settings) {
        AttributionSql.setVariable(handle, "attribution_build_id", id);
        AttributionSql.setVariable(handle, "attribution_lookback_days", settings.lookbackDays());
        AttributionSql.setVariable(handle, "attribution_half_life_days", settings.halfLifeDays());
        AttributionSql.setVariable(handle, "attribution_reporting_currency", store.config().reportingCurrency());
    }

    private static void delete(Handle handle, String id) {
        for (String table : List.of("attribution_credit", "attribution_fact", "attribution_touch", "attribution_conversion", "attribution_markov_channel",
                "attribution_markov_transition", "attribution_build_input", "attribution_build")) {
            handle.createUpdate("DELETE FROM " + table + " WHERE build_id = :id").bind("id", id).execute();
        }
    }

    private static void evictAdHocBuilds(Handle handle, String keep) {
        List<String> old = handle.createQuery("""
                        SELECT build_id FROM attribution_build WHERE build_id NOT IN (:default_build, :keep, :customer_success)
                        ORDER BY built_at DESC OFFSET :kept""")
                .bind("default_build", DEFAULT_BUILD)
                .bind("customer_success", AttributionCsService.BUILD)
                .bind("keep", keep)
                .bind("kept", MAX_AD_HOC_BUILDS - 1)
                .mapTo(String.class)
                .list();
        old.forEach(id -> delete(handle, id));
    }
}
