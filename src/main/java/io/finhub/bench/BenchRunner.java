package io.finhub.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.cache.CacheSettings;
import io.finhub.forecast.ForecastService;
import io.finhub.seed.Scale;
import io.finhub.seed.SeedGenerator;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard benchmark: for each scale, builds (or reuses) the dataset, starts the server in this
 * process on a free port and measures every {@link BenchQueries#DASHBOARD} query over real HTTP:
 * <ul>
 * <li><b>first</b>: its first execution after the server restarted on a prepared database (JIT and
 *     parsing included; the model reports come from the disk tier);</li>
 * <li><b>cold</b>: executions with the result cache (memory and disk) emptied just before, one
 *     client; derived tables current, DuckDB and the OS page cache as the previous query left them;
 *     after {@link Options#warmupRounds()} unmeasured rounds of the same, so the JIT has compiled the
 *     request path as on a server that has been running;</li>
 * <li><b>raw</b>: the SQL statements the server ran for one cold execution (captured through Jdbi,
 *     with their bound values) replayed on a plain handle of the same database, every value read; in
 *     each run every query's SQL is replayed in turn after every query was asked over HTTP, so both
 *     find DuckDB as the previous query left it;</li>
 * <li><b>warm</b>: cached answers with 1, 8, 64 concurrent clients, each sending its next request
 *     as soon as the previous one answered.</li>
 * </ul>
 * With {@link Options#gzip()} every request says {@code Accept-Encoding: gzip}, as browsers and BI
 * connectors do; the times are to the last byte received, before decompressing.
 */
final class BenchRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(Path dataDirectory, List<Scale> scales, List<BenchQuery> queries, int coldRuns, int warmupRounds, int warmRequests, List<Integer> clients,
            String memoryLimit, int threads, Duration queryTimeout, boolean gzip, boolean afterChange) {
        Options {
            requireNonNull(dataDirectory, "dataDirectory is null");
            scales = List.copyOf(scales);
            queries = List.copyOf(queries);
            clients = List.copyOf(clients);
            if (warmupRounds < 0) {
                throw new IllegalArgumentException("warm-up rounds must not be negative");
            }
            if (coldRuns < 1 || warmRequests < 1 || clients.stream().anyMatch(count -> count < 1)) {
                throw new IllegalArgumentException("cold runs, warm requests and client counts must be at least 1");
            }
        }
    }

    record ColdResult(BenchQuery query, double firstMillis, String firstSource, Latencies cold, int statements, int readStatements, Latencies raw,
            Optional<String> problem) {
        double overhead() {
            return cold.p50() / raw.p50();
        }
    }

    record WarmResult(BenchQuery query, int clients, Latencies latencies, double requestsPerSecond, long notFromCache, long failures) {}

    record ScaleResult(Scale scale, Path database, long touchpoints, List<ColdResult> cold, List<WarmResult> warm, long peakRssBytes, long rssBytes,
            long heapUsedBytes, long duckdbMemoryBytes, String loadBefore, String loadAfter, Optional<AfterChange> afterChange) {}

    /**
     * The dashboard after a committed change, with the server's warm-up on: how many of its answers
     * ({@code asked}) the server had cached again ({@code warmed}) how long after the commit, then how
     * many of them answered from the cache ({@code hits}) and in how long, asked in turn.
     */
    record AfterChange(int asked, long warmed, double warmedAfterMillis, int hits, double answeredMillis) {}

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    BenchRunner(Options options, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
    }

    List<ScaleResult> run() {
        List<ScaleResult> results = new ArrayList<>();
        for (Scale scale : options.scales()) {
            results.add(run(scale));
        }
        return results;
    }

    private ScaleResult run(Scale scale) {
        Path database = options.dataDirectory().resolve(scale.name().toLowerCase(Locale.ROOT) + ".duckdb").toAbsolutePath();
        StoreConfig config = new StoreConfig(Optional.of(database), options.memoryLimit(), options.threads(), 1, "USD");
        boolean fresh = !Files.exists(database);
        Store seeded = Store.open(config);
        if (fresh || seeded.dataVersion() == 0) {
            out.printf("Seeding scale %s into %s%n", scale, database);
            new SeedGenerator(seeded).generate(scale, line -> out.println("  " + line));
        }
        // Back-dated days kept by an earlier run would make this run's "new" days old ones: every run starts without them.
        int dropped = ForecastService.forgetBackDatedDays(seeded);
        if (dropped > 0) {
            out.printf("  dropped the kept cases of %d back-dated days%n", dropped);
        }
        CacheSettings cache = CacheSettings.defaults(config).withQueryTimeout(options.queryTimeout());
        prepare(seeded, cache);
        Store store = Store.open(config);
        long touchpoints = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM fact_touchpoint").mapTo(Long.class).one());
        SqlCapture capture = SqlCapture.install(store.jdbi());
        String loadBefore = loadAverage();
        out.printf("%nScale %s: %s, %,d touchpoints, data version %d, load average %s%n", scale, database, touchpoints, store.dataVersion(), loadBefore);
        ScaleResult measured;
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0, cache)) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/graphql");
            List<ColdResult> cold = cold(server, endpoint, store, capture);
            List<WarmResult> warm = warm(endpoint);
            long duckdbMemory = store.jdbi().withHandle(handle -> handle.createQuery("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()")
                    .mapTo(Long.class).one());
            Runtime runtime = Runtime.getRuntime();
            measured = new ScaleResult(scale, database, touchpoints, cold, warm, status("VmHWM:"), status("VmRSS:"),
                    runtime.totalMemory() - runtime.freeMemory(), duckdbMemory, loadBefore, loadAverage(), Optional.empty());
        }
        // After the measured server closed its store: the copy is of a checkpointed file.
        return options.afterChange() ? withAfterChange(measured, config, cache) : measured;
    }

    private ScaleResult withAfterChange(ScaleResult measured, StoreConfig config, CacheSettings cache) {
        AfterChange afterChange = afterChange(measured.database(), config, cache);
        return new ScaleResult(measured.scale(), measured.database(), measured.touchpoints(), measured.cold(), measured.warm(), measured.peakRssBytes(),
                measured.rssBytes(), measured.heapUsedBytes(), measured.duckdbMemoryBytes(), measured.loadBefore(), measured.loadAfter(), Optional.of(afterChange));
    }

    /**
     * On a copy of the prepared database (the dataset itself is never changed), with the warm-up of
     * {@code serve}: asks every dashboard query but the new-day ones once, commits a one-line change
     * to the spend (a copy of one line under a new id), waits until the server has cached their answers
     * again, then asks each once more.
     */
    private AfterChange afterChange(Path database, StoreConfig config, CacheSettings cache) {
        List<BenchQuery> queries = options.queries().stream().filter(query -> !query.newDayEachRun()).toList();
        Path copy = database.resolveSibling(database.getFileName() + ".after-change.duckdb");
        try {
            Files.copy(database, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Store store = Store.open(new StoreConfig(Optional.of(copy), config.memoryLimit(), config.threads(), 1, config.reportingCurrency()));
            try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0, cache.withDiskDirectory(Optional.empty()).withWarmAfterChange(queries.size()))) {
                URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/graphql");
                server.awaitBackgroundBuilds(PREPARE_TIMEOUT);
                queries.forEach(query -> send(endpoint, query, PREPARE_TIMEOUT));
                long committed = System.nanoTime();
                store.write("bench", List.of("fact_spend"), handle -> handle.execute(
                        "INSERT INTO fact_spend SELECT * REPLACE ('bench-change-' || spend_id AS spend_id) FROM fact_spend LIMIT 1"));
                // The rebuild and the warm-up after it are one background task, queued REBUILD_DELAY after the commit: once it is
                // queued, waiting for the background work waits for the warm-up to end, however many answers it could cache.
                java.util.concurrent.locks.LockSupport.parkNanos(DerivedTables.REBUILD_DELAY.plusMillis(100).toNanos());
                if (!server.awaitBackgroundBuilds(PREPARE_TIMEOUT)) {
                    out.printf("  after a change: the warm-up was still running after %s%n", PREPARE_TIMEOUT);
                }
                long warmedAt = System.nanoTime();
                long warmed = warmedAfterChange(server);
                long asked = System.nanoTime();
                int hits = 0;
                for (BenchQuery query : queries) {
                    hits += "HIT".equals(sendAgain(endpoint, query).cache()) ? 1 : 0;
                }
                AfterChange result = new AfterChange(queries.size(), warmed, (warmedAt - committed) / 1e6, hits, (System.nanoTime() - asked) / 1e6);
                out.printf("  after a change: %d of %d answers cached again %.0f ms after the commit; asked again, %d from the cache, in %.0f ms%n",
                        result.warmed(), result.asked(), result.warmedAfterMillis(), result.hits(), result.answeredMillis());
                return result;
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not copy " + database + " for the change", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        finally {
            for (String suffix : List.of("", ".wal")) {
                try {
                    Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + suffix));
                }
                catch (IOException e) {
                    out.printf("  could not delete %s: %s%n", copy, e.getMessage());
                }
            }
        }
    }

    private static long warmedAfterChange(FinhubServer server) {
        return server.responses().metrics().get("requests") instanceof Map<?, ?> requests && requests.get("warmedAfterChange") instanceof Number number
                ? number.longValue() : 0;
    }

    /**
     * Brings the derived tables (attribution builds, revenue schedule, MRR snapshots) to the data
     * version by answering every query once on a first server, waiting for background builds however
     * long they take, then stops that server: the measured one starts on a prepared database, as a
     * production restart does.
     */
    private void prepare(Store store, CacheSettings cache) {
        long started = System.nanoTime();
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0, cache)) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/graphql");
            for (BenchQuery query : options.queries()) {
                Answer answer = send(endpoint, query, PREPARE_TIMEOUT);
                for (int attempt = 1; attempt < 5 && answer.problem().filter(problem -> problem.contains("TIMEOUT")).isPresent(); attempt++) {
                    answer = send(endpoint, query, PREPARE_TIMEOUT);
                }
                answer.problem().ifPresent(problem -> out.printf("  prepare %-40s %s%n", query.name(), problem));
            }
            // Answers from the disk cache start no build, but the server rebuilds stale results in the background from its start:
            // the measured server must not find one half-written.
            if (!server.awaitBackgroundBuilds(PREPARE_TIMEOUT)) {
                out.printf("  prepare: background builds still running after %s%n", PREPARE_TIMEOUT);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing", e);
        }
        out.printf("  derived tables prepared in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private List<ColdResult> cold(FinhubServer server, URI endpoint, Store store, SqlCapture capture) {
        Map<BenchQuery, Answer> first = new java.util.LinkedHashMap<>();
        for (BenchQuery query : options.queries()) {
            Answer answer = send(endpoint, query);
            first.put(query, answer);
            out.printf("  first  %-40s %9.1f ms %s%s%n", query.name(), answer.nanos() / 1e6, answer.cache(),
                    answer.problem().map(problem -> "  " + problem).orElse(""));
        }
        // Unmeasured cold rounds: the JIT compiles the request path (HTTP, GraphQL, row mapping, JSON) as it has on a
        // server that has run for a while; without them the cold runs below measure a server that has barely started.
        for (int round = 0; round < options.warmupRounds(); round++) {
            for (BenchQuery query : options.queries()) {
                if (!query.newDayEachRun()) {
                    server.responses().invalidateAll();
                    sendAgain(endpoint, query);
                }
            }
        }
        if (options.warmupRounds() > 0) {
            out.printf("  %d unmeasured cold rounds before the measured ones%n", options.warmupRounds());
        }
        // The SQL each query runs, captured from one cold execution before the measured ones, after one more: a
        // back-dated day answered from the disk tier after the restart is staged by its first execution, as the
        // measured ones then find it (a new day's is staged by each).
        Map<BenchQuery, List<SqlCapture.Statement>> captured = new java.util.LinkedHashMap<>();
        for (BenchQuery query : options.queries()) {
            server.responses().invalidateAll();
            send(endpoint, query);
            server.responses().invalidateAll();
            capture.start();
            send(endpoint, query);
            captured.put(query, capture.stop());
        }
        Map<BenchQuery, long[]> coldNanos = new java.util.LinkedHashMap<>();
        Map<BenchQuery, long[]> rawNanos = new java.util.LinkedHashMap<>();
        Map<BenchQuery, Optional<String>> problems = new java.util.LinkedHashMap<>();
        for (BenchQuery query : options.queries()) {
            coldNanos.put(query, new long[options.coldRuns()]);
            rawNanos.put(query, new long[options.coldRuns()]);
        }
        // Each run asks every query in turn over HTTP, then replays every query's SQL in the same turn: both
        // find DuckDB as the previous query left it. (Replaying one query's SQL many times back to back,
        // as this benchmark did before, measured DuckDB with that query's data and plans hot.)
        Map<BenchQuery, String> replayFailures = new java.util.LinkedHashMap<>();
        for (int run = 0; run < options.coldRuns(); run++) {
            for (BenchQuery query : options.queries()) {
                server.responses().invalidateAll();
                Answer answer = send(endpoint, query);
                coldNanos.get(query)[run] = answer.nanos();
                problems.merge(query, answer.problem(), (before, now) -> before.isPresent() ? before : now);
            }
            for (BenchQuery query : options.queries()) {
                if (replayFailures.containsKey(query)) {
                    continue;
                }
                List<SqlCapture.Statement> statements = captured.get(query);
                try {
                    rawNanos.get(query)[run] = store.jdbi().withHandle(handle -> SqlCapture.replay(handle, statements));
                }
                catch (RuntimeException e) {
                    replayFailures.put(query, "replaying its SQL failed: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        List<ColdResult> results = new ArrayList<>();
        for (BenchQuery query : options.queries()) {
            List<SqlCapture.Statement> statements = captured.get(query);
            long[] raw = replayFailures.containsKey(query) ? new long[0] : rawNanos.get(query);
            Optional<String> problem = Optional.ofNullable(replayFailures.get(query)).or(() -> problems.get(query));
            int reads = (int) statements.stream().filter(SqlCapture::isRead).count();
            ColdResult result = new ColdResult(query, first.get(query).nanos() / 1e6, first.get(query).cache(), new Latencies(coldNanos.get(query)),
                    statements.size(), reads, new Latencies(raw), problem);
            out.printf("  cold   %-40s p50 %9.1f ms   raw SQL (%d statements) p50 %9.1f ms   x%.2f%n", query.name(), result.cold().p50(), statements.size(),
                    result.raw().p50(), result.overhead());
            results.add(result);
        }
        return results;
    }

    private List<WarmResult> warm(URI endpoint) {
        // A discarded round first, every query at the highest client count, so the first query measured
        // does not pay for compiling the server's and the client's hot paths.
        int most = options.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
        for (BenchQuery query : options.queries()) {
            sendAgain(endpoint, query);
            warm(endpoint, query, most, Math.max(most, options.warmRequests() / 4));
        }
        List<WarmResult> results = new ArrayList<>();
        for (BenchQuery query : options.queries()) {
            for (int clients : options.clients()) {
                WarmResult result = warm(endpoint, query, clients);
                out.printf("  warm   %-40s %2d clients  p50 %7.3f  p95 %7.3f  p99 %7.3f ms  %,9.0f req/s%s%n", query.name(), clients, result.latencies().p50(),
                        result.latencies().p95(), result.latencies().p99(), result.requestsPerSecond(),
                        result.notFromCache() + result.failures() == 0 ? "" : "  (" + result.notFromCache() + " not from cache, " + result.failures() + " failed)");
                results.add(result);
            }
        }
        return results;
    }

    private WarmResult warm(URI endpoint, BenchQuery query, int clients) {
        return warm(endpoint, query, clients, Math.max(options.warmRequests(), clients));
    }

    private WarmResult warm(URI endpoint, BenchQuery query, int clients, int total) {
        long[] nanos = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicLong notFromCache = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int index = next.getAndIncrement(); index < total; index = next.getAndIncrement()) {
                        Answer answer = sendAgain(endpoint, query);
                        nanos[index] = answer.nanos();
                        if (!"HIT".equals(answer.cache())) {
                            notFromCache.incrementAndGet();
                        }
                        if (answer.status() != 200) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new WarmResult(query, clients, new Latencies(nanos), total / seconds, notFromCache.get(), failures.get());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a benchmark client failed", e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static byte[] json(String document) {
        try {
            return JSON.writeValueAsBytes(Map.of("query", document));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One answer: status, {@code X-Finhub-Cache}, elapsed time, and the first error, if any. */
    private record Answer(int status, String cache, long nanos, Optional<String> problem) {}

    private final Map<BenchQuery, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Duration PREPARE_TIMEOUT = Duration.ofHours(2);

    /** The first of the days a {@link BenchQuery#newDayEachRun()} query asks about; each further one is a day earlier. */
    static final LocalDate NEW_DAYS_FROM = LocalDate.of(2025, 6, 29);
    private final Map<BenchQuery, LocalDate> days = new java.util.concurrent.ConcurrentHashMap<>();

    /** Sends {@code query}; one asking about a new day each run asks about the next one. */
    private Answer send(URI endpoint, BenchQuery query) {
        return send(endpoint, query, options.queryTimeout().plusSeconds(60));
    }

    private Answer send(URI endpoint, BenchQuery query, Duration timeout) {
        if (query.newDayEachRun()) {
            days.compute(query, (key, last) -> last == null ? NEW_DAYS_FROM : last.minusDays(1));
        }
        return post(endpoint, query, timeout);
    }

    /** Sends {@code query} as last time (the warm runs: the same day, answered from the cache). */
    private Answer sendAgain(URI endpoint, BenchQuery query) {
        return post(endpoint, query, options.queryTimeout().plusSeconds(60));
    }

    private Answer post(URI endpoint, BenchQuery query, Duration timeout) {
        byte[] body = query.newDayEachRun() ? json(query.document().replace("{day}", days.getOrDefault(query, NEW_DAYS_FROM).toString()))
                : bodies.computeIfAbsent(query, key -> json(key.document()));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/graphql-response+json")
                .header("Accept-Encoding", options.gzip() ? "gzip" : "identity")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            long started = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - started;
            return new Answer(response.statusCode(), response.headers().firstValue("X-Finhub-Cache").orElse(""), nanos, problem(response));
        }
        catch (IOException e) {
            throw new UncheckedIOException("the benchmark could not reach the server", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Optional<String> problem(HttpResponse<byte[]> response) throws IOException {
        byte[] body = response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent() ? gunzip(response.body())
                : response.body();
        if (response.statusCode() == 200 && !startsWithErrors(body)) {
            return Optional.empty();
        }
        JsonNode error = JSON.readTree(body).at("/errors/0");
        return Optional.of("HTTP " + response.statusCode() + " " + error.at("/extensions/code").asText() + ": " + error.at("/message").asText());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** The server writes {@code errors} first, so a successful answer is recognised without parsing it. */
    private static boolean startsWithErrors(byte[] body) {
        return body.length > 10 && new String(body, 0, 10, java.nio.charset.StandardCharsets.US_ASCII).startsWith("{\"errors\"");
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A size of this process from /proc/self/status (VmHWM: peak resident set, VmRSS: now), or -1 where there is none. */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
