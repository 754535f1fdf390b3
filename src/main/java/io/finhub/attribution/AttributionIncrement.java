package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.attribution.AttributionBuilds.Bounds;
import io.finhub.attribution.AttributionMarkov.Solution;
import io.finhub.attribution.AttributionMarkov.Transition;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one attribution build forward over changes that only appended touchpoints and deals.
 *
 * <p>When it applies: every change since the build that can move attribution is an import batch
 * whose touchpoint and deal parts are APPEND (nothing updated or deleted) and that changed no FX
 * rate; and every row the build read still has a row id within its bounds (the row counts match),
 * so the appended rows are exactly those above the bounds. Anything else (a replaced partition, an
 * upsert, a retention purge, a seed, a changed rate, compacted row ids) returns false and the caller
 * rebuilds from scratch.
 *
 * <p>What it does: the conversions the appended rows can reach get their path, conversion row and
 * credits recomputed under every model the build holds; the other conversions keep theirs, which
 * are unchanged because a conversion's path depends only on the touches of its journey (or its
 * customer). The Markov transition counts are adjusted by the difference, before and after the
 * change, of the converting paths recomputed and of the journeys whose touches or whose use by a
 * conversion changed; the chain is solved again. If the channel weights moved, every Markov credit
 * is recomputed from the stored paths (the solve is global); if not, only the reached conversions'.
 */
final class AttributionIncrement {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionIncrement.class);
    private static final Set<String> APPENDABLE = Set.of("fact_touchpoint", "fact_conversion");

    private final AttributionBuilds builds;
    private final Handle handle;
    private final String id;
    private final AttributionSettings settings;
    private final Set<AttributionModel> models;

    AttributionIncrement(AttributionBuilds builds, Handle handle, String id, AttributionSettings settings, Set<AttributionModel> models) {
        this.builds = requireNonNull(builds, "builds is null");
        this.handle = requireNonNull(handle, "handle is null");
        this.id = requireNonNull(id, "id is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.models = models.isEmpty() ? EnumSet.noneOf(AttributionModel.class) : EnumSet.copyOf(models);
    }

    /** Brings the build from data version {@code from} to {@code to}; false if that cannot be done incrementally. */
    boolean apply(long from, long to) {
        long started = System.nanoTime();
        Optional<String> reason = onlyAppends(from, to);
        Optional<Bounds> before = AttributionBuilds.bounds(handle, id);
        if (reason.isEmpty() && before.isEmpty()) {
            reason = Optional.of("the build does not record the rows it read");
        }
        if (reason.isPresent()) {
            LOG.info("attribution build {} rebuilt from scratch for data version {}: {}", id, to, reason.get());
            return false;
        }
        Bounds old = before.get();
        Bounds now = AttributionBuilds.currentBounds(handle);
        if (!sameRowsRead(old)) {
            LOG.info("attribution build {} rebuilt from scratch for data version {}: the row ids it read have moved", id, to);
            return false;
        }
        builds.variables(handle, id, settings);
        AttributionSql.setVariable(handle, "attribution_touch_rowid_from", old.touchRowidMax());
        AttributionSql.setVariable(handle, "attribution_conversion_rowid_from", old.conversionRowidMax());
        AttributionSql.setVariable(handle, "attribution_touch_rowid_max", now.touchRowidMax());
        AttributionSql.setVariable(handle, "attribution_conversion_rowid_max", now.conversionRowidMax());
        Map<String, Long> phases = new LinkedHashMap<>();
        long[] mark = {System.nanoTime()};
        try {
            AttributionSql.executeFile(handle, "increment_scope");
            phase(phases, "scope", mark);
            AttributionSql.executeFile(handle, "touches");
            AttributionSql.executeFile(handle, "conversions");
            long reached = AttributionBuilds.count(handle, "SELECT count(*) FROM stage_scope");
            phase(phases, "paths", mark);
            boolean markovAll = false;
            if (models.contains(AttributionModel.MARKOV)) {
                Optional<Boolean> moved = solveMarkov();
                phase(phases, "markov solve", mark);
                if (moved.isEmpty()) {
                    LOG.warn("attribution build {}: the stored Markov counts do not match the stored paths; rebuilding from scratch", id);
                    return false;
                }
                markovAll = moved.get();
            }
            for (AttributionModel model : models) {
                if (model != AttributionModel.MARKOV || !markovAll) {
                    AttributionBuilds.computeCredits(handle, id, model);
                }
            }
            phase(phases, "credits", mark);
            if (markovAll) {
                stageEveryPath();
                AttributionBuilds.computeCredits(handle, id, AttributionModel.MARKOV);
                phase(phases, "every Markov credit", mark);
            }
            boolean everyMarkovCredit = markovAll;
            handle.useTransaction(transaction -> store(transaction, to, now, reached, everyMarkovCredit));
            phase(phases, "store", mark);
            LOG.info("attribution build {} brought from data version {} to {} incrementally: {} conversions recomputed{} in {} ms ({})", id, from, to, reached,
                    markovAll ? ", every Markov credit (the removal effects moved)" : "", (System.nanoTime() - started) / 1_000_000, phases);
            return true;
        }
        finally {
            AttributionBuilds.dropStaged(handle, models);
        }
    }

    private static void phase(Map<String, Long> phases, String name, long[] mark) {
        long now = System.nanoTime();
        phases.put(name, (now - mark[0]) / 1_000_000);
        mark[0] = now;
    }

    /** Why the changes in (from, to] are not only appended touchpoints and deals, if they are not. */
    private Optional<String> onlyAppends(long from, long to) {
        record Change(long version, String source, List<String> datasets) {}
        List<Change> changes = handle.createQuery("""
                        SELECT version, source, array_to_string(datasets, ',') AS datasets FROM finhub_data_version
                        WHERE version > :from AND version <= :to ORDER BY version""")
                .bind("from", from)
                .bind("to", to)
                .map((rs, context) -> new Change(rs.getLong(1), rs.getString(2), List.of(rs.getString(3).split(","))))
                .list();
        if (changes.size() != to - from) {
            return Optional.of("the change log from version %d to %d is incomplete".formatted(from, to));
        }
        for (Change change : changes) {
            if (!AttributionService.affects(change.datasets(), AttributionService.INPUTS)) {
                continue;
            }
            if (!change.source().startsWith("ingest:")) {
                return Optional.of("version %d (%s) was not an import".formatted(change.version(), change.source()));
            }
            List<String> problems = handle.createQuery("""
                            SELECT d.dataset || ' ' || d.mode || CASE WHEN d.rows_updated > 0 OR d.rows_deleted > 0 THEN ' (rows updated or deleted)' ELSE '' END
                            FROM finhub_ingest_batch_dataset d JOIN finhub_ingest_batch b ON b.batch_id = d.batch_id
                            WHERE b.data_version = :version
                              AND (d.dataset = 'fact_fx_rate'
                                   OR (d.dataset IN ('fact_touchpoint', 'fact_conversion')
                                       AND (d.mode <> 'APPEND' OR d.rows_updated > 0 OR d.rows_deleted > 0)))""")
                    .bind("version", change.version())
                    .mapTo(String.class)
                    .list();
            if (!problems.isEmpty()) {
                return Optional.of("version %d changed %s".formatted(change.version(), String.join(", ", problems)));
            }
            for (String dataset : change.datasets()) {
                if (AttributionService.INPUTS.contains(dataset) && !APPENDABLE.contains(dataset)) {
                    return Optional.of("version %d changed %s".formatted(change.version(), dataset));
                }
            }
        }
        return Optional.empty();
    }

    /** True when exactly the rows the build read still have a row id within its bounds. */
    private boolean sameRowsRead(Bounds old) {
        return handle.createQuery("""
                        SELECT (SELECT count(*) FROM fact_touchpoint WHERE rowid <= :touch_max) = :touch_rows
                           AND (SELECT count(*) FROM fact_conversion WHERE rowid <= :conversion_max) = :conversion_rows""")
                .bind("touch_max", old.touchRowidMax())
                .bind("touch_rows", old.touchRows())
                .bind("conversion_max", old.conversionRowidMax())
                .bind("conversion_rows", old.conversionRows())
                .mapTo(Boolean.class)
                .one();
    }

    /**
     * Adjusts the stored transition counts by the paths and journeys that changed and solves the chain
     * in stage_markov_channel. Present: whether the channel weights moved; empty if a count would go
     * negative (the stored counts do not belong to the stored paths).
     */
    private Optional<Boolean> solveMarkov() {
        AttributionSql.executeFile(handle, "increment_journeys");
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP VIEW markov_path AS
                SELECT conversion_id, touch_seq, touch_count, channel_id FROM attribution_touch
                WHERE build_id = getvariable('attribution_build_id') AND conversion_id IN (SELECT conversion_id FROM stage_scope)""");
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP VIEW markov_open_touch AS
                SELECT journey_id, touchpoint_id, channel_id, touched_at FROM fact_touchpoint
                WHERE rowid <= getvariable('attribution_touch_rowid_from')
                  AND journey_id IN (SELECT journey_id FROM stage_scope_journey WHERE NOT old_used)""");
        long counting = System.nanoTime();
        List<Transition> before = AttributionBuilds.transitions(handle, "markov_transitions_exact");
        LOG.info("journeys staged; Markov counts before the change in {} ms", (System.nanoTime() - counting) / 1_000_000);
        AttributionSql.execute(handle, "CREATE OR REPLACE TEMP VIEW markov_path AS SELECT conversion_id, touch_seq, touch_count, channel_id FROM stage_touch");
        AttributionSql.execute(handle, """
                CREATE OR REPLACE TEMP VIEW markov_open_touch AS
                SELECT journey_id, touchpoint_id, channel_id, touched_at FROM fact_touchpoint
                WHERE rowid <= getvariable('attribution_touch_rowid_max')
                  AND journey_id IN (SELECT journey_id FROM stage_scope_journey WHERE NOT new_used)""");
        List<Transition> after = AttributionBuilds.transitions(handle, "markov_transitions_exact");

        Map<Edge, Long> counts = new HashMap<>();
        handle.createQuery("SELECT from_channel, to_channel, outcome, transitions FROM attribution_markov_transition WHERE build_id = :id")
                .bind("id", id)
                .map((rs, context) -> new Transition(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), false))
                .forEach(transition -> counts.merge(Edge.of(transition), transition.count(), Long::sum));
        before.forEach(transition -> counts.merge(Edge.of(transition), -transition.count(), Long::sum));
        after.forEach(transition -> counts.merge(Edge.of(transition), transition.count(), Long::sum));
        List<Transition> adjusted = new ArrayList<>();
        for (Map.Entry<Edge, Long> entry : counts.entrySet()) {
            if (entry.getValue() < 0) {
                return Optional.empty();
            }
            if (entry.getValue() > 0) {
                Edge edge = entry.getKey();
                adjusted.add(new Transition(edge.from(), edge.to(), edge.outcome(), entry.getValue(), false));
            }
        }
        Map<String, BigInteger> storedWeights = new HashMap<>();
        handle.createQuery("SELECT channel_id, CAST(weight_scaled AS VARCHAR) FROM attribution_markov_channel WHERE build_id = :id")
                .bind("id", id)
                .map((rs, context) -> Map.entry(rs.getString(1), new BigInteger(rs.getString(2))))
                .forEach(entry -> storedWeights.put(entry.getKey(), entry.getValue()));
        Solution solution = AttributionMarkov.solve(adjusted);
        Map<String, BigInteger> weights = new HashMap<>();
        solution.removalEffects().keySet().forEach(channel -> weights.put(channel, solution.scaledWeight(channel)));
        AttributionBuilds.stageTransitions(handle, adjusted);
        AttributionBuilds.stageMarkov(handle, solution);
        return Optional.of(!weights.equals(storedWeights));
    }

    /** A transition without its count; the outcome names only an absorbing state. The chain is solved exactly, so their order does not matter. */
    private record Edge(String from, String to, String outcome) {
        static Edge of(Transition transition) {
            return new Edge(transition.from(), transition.to(), transition.to() == null ? transition.outcome() : null);
        }
    }

    /** For a Markov solve that moved the weights: every path of the build, the recomputed ones in place of their old ones. */
    private void stageEveryPath() {
        for (String kind : List.of("touch", "conversion")) {
            AttributionSql.execute(handle, "CREATE OR REPLACE TEMP TABLE stage_%s_delta AS SELECT * FROM stage_%s".formatted(kind, kind));
            AttributionSql.execute(handle, """
                    CREATE OR REPLACE TEMP TABLE stage_%1$s AS
                    SELECT * FROM attribution_%1$s
                    WHERE build_id = getvariable('attribution_build_id') AND conversion_id NOT IN (SELECT conversion_id FROM stage_scope)
                    UNION ALL
                    SELECT * FROM stage_%1$s_delta""".formatted(kind));
        }
    }

    private void store(Handle transaction, long version, Bounds now, long reached, boolean everyMarkovCredit) {
        String touches = everyMarkovCredit ? "stage_touch_delta" : "stage_touch";
        String conversions = everyMarkovCredit ? "stage_conversion_delta" : "stage_conversion";
        String reachedOnly = " AND conversion_id IN (SELECT conversion_id FROM stage_scope)";
        for (String table : List.of("attribution_touch", "attribution_conversion")) {
            transaction.createUpdate("DELETE FROM " + table + " WHERE build_id = :id" + reachedOnly).bind("id", id).execute();
        }
        AttributionSql.execute(transaction, "INSERT INTO attribution_touch SELECT * FROM " + touches);
        AttributionSql.execute(transaction, "INSERT INTO attribution_conversion SELECT * FROM " + conversions);
        for (AttributionModel model : models) {
            String name = model.name().toLowerCase(Locale.ROOT);
            String which = model == AttributionModel.MARKOV && everyMarkovCredit ? "" : reachedOnly;
            for (String table : List.of("attribution_credit", "attribution_fact")) {
                transaction.createUpdate("DELETE FROM " + table + " WHERE build_id = :id AND model = :model" + which)
                        .bind("id", id)
                        .bind("model", model.name())
                        .execute();
            }
            AttributionSql.execute(transaction, "INSERT INTO attribution_credit SELECT * FROM stage_credit_" + name);
            AttributionSql.execute(transaction, "INSERT INTO attribution_fact SELECT * FROM stage_fact_" + name);
            if (model == AttributionModel.MARKOV) {
                AttributionBuilds.storeMarkov(transaction, id);
            }
        }
        transaction.createUpdate("UPDATE attribution_build SET data_version = :version, built_at = now()::TIMESTAMP WHERE build_id = :id")
                .bind("version", version)
                .bind("id", id)
                .execute();
        AttributionBuilds.storeBounds(transaction, id, now, "INCREMENTAL", reached);
    }
}
