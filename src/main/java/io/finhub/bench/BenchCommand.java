package io.finhub.bench;

import io.finhub.seed.Scale;
import io.finhub.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code finhub bench}: the dashboard benchmark, rerunnable by anyone; the README documents it. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the dashboard queries cold and warm over real HTTP on the m and l datasets (built when missing): "
                + "p50/p95/p99 latency, throughput with 1, 8 and 64 clients, and each cold query against the same SQL run directly on DuckDB.",
                "Run it on a quiet machine: the load average is printed with the results."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:FINHUB_BENCH_DATA:-data}",
            description = "Where <scale>.duckdb datasets are reused or built (env FINHUB_BENCH_DATA, default ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--scales", split = ",", paramLabel = "SCALE", defaultValue = "m,l",
            description = "Scales to run, comma-separated: demo, m, l (default ${DEFAULT-VALUE}).")
    List<String> scales;

    @Option(names = "--skip-l", description = "Leave out the l scale (about 100 million touchpoints; building it takes long).")
    boolean skipL;

    @Option(names = "--queries", split = ",", paramLabel = "NAME", description = "Only these dashboard queries (default: all).")
    List<String> queries;

    @Option(names = "--cold-runs", defaultValue = "21", description = "Cold executions per query, each after emptying the result cache (default ${DEFAULT-VALUE}: "
            + "enough for p95 and p99 to differ from the slowest run).")
    int coldRuns;

    @Option(names = "--warmup-rounds", defaultValue = "20", description = "Unmeasured rounds of every query with the result cache emptied, after the first "
            + "executions and before the cold runs, so those measure a server whose request path the JIT has compiled, as a running server's is; "
            + "queries that ask about a new day each run are left out (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--warm-requests", defaultValue = "2000", description = "Cached requests per query and client count (default ${DEFAULT-VALUE}).")
    int warmRequests;

    @Option(names = "--clients", split = ",", defaultValue = "1,8,64", description = "Concurrent clients of the warm runs (default ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--memory-limit", defaultValue = "${env:FINHUB_MEMORY_LIMIT:-" + StoreConfig.DEFAULT_MEMORY_LIMIT + "}", description = "DuckDB memory limit (default ${DEFAULT-VALUE}).")
    String memoryLimit;

    @Option(names = "--threads", defaultValue = "${env:FINHUB_THREADS:-0}", description = "DuckDB worker threads, 0 = one per core (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--query-timeout", defaultValue = "PT30S", description = "Per-request timeout, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration queryTimeout;

    @Option(names = "--gzip", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Send Accept-Encoding: gzip, as browsers "
            + "and BI connectors do (default ${DEFAULT-VALUE}); --no-gzip asks for plain answers.")
    boolean gzip;

    @Option(names = "--after-change", description = "Also measure the dashboard after a committed change, on a copy of each dataset: how long until "
            + "the server's warm-up has its answers cached again, and how many of them then come from the cache.")
    boolean afterChange;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown tables to FILE.")
    Path report;

    @Override
    public Integer call() throws IOException {
        BenchRunner.Options options = new BenchRunner.Options(dataDirectory, scales(), queries(), coldRuns, warmupRounds, warmRequests, clients, memoryLimit, threads,
                queryTimeout, gzip, afterChange);
        String machine = machine();
        System.out.println("FinHub dashboard benchmark on " + machine);
        List<BenchRunner.ScaleResult> results = new BenchRunner(options, System.out).run();
        String markdown = BenchReport.markdown(results, machine, options);
        System.out.println();
        System.out.println(markdown);
        if (report != null) {
            Files.writeString(report, markdown);
        }
        return 0;
    }

    private List<Scale> scales() {
        List<Scale> parsed = new ArrayList<>();
        for (String name : scales) {
            Scale scale;
            try {
                scale = Scale.valueOf(name.trim().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown scale '" + name + "': use demo, m or l");
            }
            if (!(skipL && scale == Scale.L)) {
                parsed.add(scale);
            }
        }
        return parsed;
    }

    private List<BenchQuery> queries() {
        if (queries == null || queries.isEmpty()) {
            return BenchQueries.DASHBOARD;
        }
        List<BenchQuery> chosen = BenchQueries.DASHBOARD.stream().filter(query -> queries.contains(query.name())).toList();
        if (chosen.size() != queries.size()) {
            throw new IllegalArgumentException("unknown query among " + queries + "; the dashboard has "
                    + BenchQueries.DASHBOARD.stream().map(BenchQuery::name).toList());
        }
        return chosen;
    }

    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return "%d cores, %s, Java %s, max heap %d MB".formatted(runtime.availableProcessors(), cpuModel(), Runtime.version(), runtime.maxMemory() >> 20);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
        }
        catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }
}
