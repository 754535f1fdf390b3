package io.finhub.seed;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.support.ClasspathResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Generates the deterministic demo company (Lumen Analytics, 2023..2025) into an empty store.
 *
 * <p>The data is defined by the SQL scripts {@code seed/generator/NN_name.sql}, run in name order
 * inside DuckDB in one transaction: rows come from {@code range()} and hashes of stable ids, never
 * from {@code random()}, so a scale always yields the same rows whatever the thread count. Scale
 * parameters reach the scripts as DuckDB variables ({@code getvariable('journeys')}).
 */
public final class SeedGenerator {
    private static final String GENERATOR_DIRECTORY = "seed/generator";

    /** Every table the generator fills, dimensions first. */
    static final List<String> TABLES = List.of(
            "dim_currency", "dim_entity", "dim_channel", "dim_department", "dim_product", "dim_gl_account",
            "dim_cs_program", "dim_campaign", "dim_customer", "dim_contract",
            "fact_fx_rate", "fact_touchpoint", "fact_conversion", "fact_subscription", "fact_invoice",
            "fact_health_score", "fact_cs_activity", "fact_contract_commitment", "fact_success_metric",
            "fact_utilization", "fact_renewal_pipeline", "fact_spend", "fact_gl_actual", "fact_budget");

    private final Store store;

    public SeedGenerator(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /**
     * Seeds the store at {@code scale}, reporting one line per generation step to {@code progress}.
     *
     * @throws FinhubException {@link ErrorCode#BAD_REQUEST} when the store already holds data
     */
    public SeedSummary generate(Scale scale, Consumer<String> progress) {
        requireNonNull(scale, "scale is null");
        requireNonNull(progress, "progress is null");
        long started = System.nanoTime();
        Map<String, String> steps = ClasspathResources.readAll(GENERATOR_DIRECTORY, ".sql");
        long version = store.write("seed:" + scale, TABLES, handle -> {
            refuseUnlessEmpty(handle);
            setScaleVariables(handle, scale);
            runSteps(handle, steps, progress);
        });
        Map<String, Long> rowCounts = store.jdbi().withHandle(SeedGenerator::rowCounts);
        return new SeedSummary(scale, rowCounts, Duration.ofNanos(System.nanoTime() - started), version);
    }

    private static void refuseUnlessEmpty(Handle handle) {
        for (String table : TABLES) {
            boolean hasRows = handle.createQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")").mapTo(Boolean.class).one();
            if (hasRows) {
                throw new FinhubException(ErrorCode.BAD_REQUEST,
                        "the store already holds data (" + table + " has rows); seed only an empty database");
            }
        }
    }

    private static void setScaleVariables(Handle handle, Scale scale) {
        // Values come from the Scale enum, never from user input.
        handle.execute("SET VARIABLE journeys = " + scale.journeys());
        handle.execute("SET VARIABLE installed_base_customers = " + scale.installedBaseCustomers());
    }

    private static void runSteps(Handle handle, Map<String, String> steps, Consumer<String> progress) {
        long rowsBefore = totalRows(handle);
        int stepNo = 0;
        for (Map.Entry<String, String> step : steps.entrySet()) {
            stepNo++;
            long stepStarted = System.nanoTime();
            handle.createScript(step.getValue()).execute();
            long rowsAfter = totalRows(handle);
            progress.accept(String.format(Locale.ROOT, "[%d/%d] %s: %,d rows in %.1f s",
                    stepNo, steps.size(), stepName(step.getKey()), rowsAfter - rowsBefore, (System.nanoTime() - stepStarted) / 1e9));
            rowsBefore = rowsAfter;
        }
    }

    /** {@code 04_touchpoints.sql} is the step {@code touchpoints}. */
    static String stepName(String fileName) {
        return fileName.replaceFirst("^\\d+_", "").replaceFirst("\\.sql$", "").replace('_', ' ');
    }

    private static long totalRows(Handle handle) {
        return rowCounts(handle).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> rowCounts(Handle handle) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, handle.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
        }
        return counts;
    }
}
