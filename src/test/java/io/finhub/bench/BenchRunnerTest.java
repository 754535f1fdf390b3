package io.finhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.seed.Scale;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on the demo company with few iterations: a smoke test, no timing asserted. */
class BenchRunnerTest {
    @TempDir
    Path data;

    @Test
    void every_dashboard_query_answers_cold_and_warm_and_its_sql_is_captured() throws java.io.IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchRunner.Options options = new BenchRunner.Options(data, List.of(Scale.DEMO), BenchQueries.DASHBOARD, 1, 1, 5, List.of(1, 2), "1GB", 0,
                Duration.ofSeconds(60), true, true);

        List<BenchRunner.ScaleResult> results = new BenchRunner(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        BenchRunner.ScaleResult demo = results.get(0);
        assertThat(demo.touchpoints()).isPositive();
        assertThat(demo.cold()).hasSize(BenchQueries.DASHBOARD.size()).allSatisfy(cold -> {
            assertThat(cold.problem()).as(cold.query().name()).isEmpty();
            assertThat(cold.readStatements()).as(cold.query().name()).isPositive();
            assertThat(cold.statements()).as(cold.query().name()).isGreaterThanOrEqualTo(cold.readStatements());
            assertThat(cold.raw().count()).isEqualTo(1);
            assertThat(cold.raw().p50()).as("the replay of %s was timed", cold.query().name()).isPositive();
        });
        // The measured server starts on the prepared database: the model reports come from the disk tier.
        assertThat(demo.cold()).filteredOn(cold -> cold.query().name().equals("attribution-linear-by-channel"))
                .singleElement().satisfies(cold -> assertThat(cold.firstSource()).isEqualTo("DISK_HIT"));
        // Each run of the new-day forecast asks about a day no forecast asked before, so its cases are staged every time, the
        // first run after the restart included; the back-dated one reads the day's kept cases (fewer statements, none staging).
        BenchRunner.ColdResult newDay = demo.cold().stream().filter(cold -> cold.query().name().equals("portfolio-forecast-new-day")).findFirst().orElseThrow();
        BenchRunner.ColdResult backDated = demo.cold().stream().filter(cold -> cold.query().name().equals("portfolio-forecast-back-dated")).findFirst().orElseThrow();
        assertThat(newDay.firstSource()).isEqualTo("MISS");
        assertThat(newDay.statements()).isGreaterThan(backDated.statements());
        assertThat(demo.warm()).hasSize(2 * BenchQueries.DASHBOARD.size()).allSatisfy(warm -> {
            assertThat(warm.failures()).isZero();
            assertThat(warm.notFromCache()).as(warm.query().name()).isZero();
            assertThat(warm.latencies().count()).isEqualTo(5);
        });
        // After a change, on a copy: every dashboard answer but the new day's is cached again, and asked again comes from the cache.
        int asked = (int) BenchQueries.DASHBOARD.stream().filter(query -> !query.newDayEachRun()).count();
        assertThat(demo.afterChange()).hasValueSatisfying(change -> {
            assertThat(change.asked()).isEqualTo(asked);
            assertThat(change.warmed()).isEqualTo(asked);
            assertThat(change.hits()).isEqualTo(asked);
            assertThat(change.warmedAfterMillis()).isPositive();
        });
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("after-change"));
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("1 unmeasured cold rounds before the measured ones");
        String markdown = BenchReport.markdown(results, BenchCommand.machine(), options);
        assertThat(markdown).contains("| roi-by-channel | roi |").contains("### Scale DEMO").contains("after 1 unmeasured rounds")
                .contains("Accept-Encoding: gzip")
                .contains("After a change (one spend line");
    }

    @Test
    void the_dashboard_covers_the_five_areas_with_at_least_twelve_queries() {
        assertThat(BenchQueries.DASHBOARD).hasSizeGreaterThanOrEqualTo(12);
        assertThat(BenchQueries.DASHBOARD).extracting(BenchQuery::area).contains("attribution", "realization", "forecast", "budget", "roi");
    }
}
