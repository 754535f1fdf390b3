package io.finhub.cache;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.security.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GraphQL answers as response bytes, cached. A query whose root fields all depend only on the data
 * is looked up by {@link ResultKey} (normalised document, operation, variables, caller scope, data
 * version, day) in a Caffeine cache bounded by bytes, then, for model reports, in the disk tier;
 * only a successful answer (data, no error) computed on a data version that is still current is
 * stored. A hit is the stored bytes: no execution, no serialization. Concurrent requests for the
 * same missing key wait for one execution instead of each running it.
 */
public final class GraphqlResponses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GraphqlResponses.class);

    /** Where an answer came from; the HTTP layer reports it in the {@code X-Finhub-Cache} header. */
    public enum Source {
        /** From the in-memory result cache. */
        HIT,
        /** From the disk tier (and now in memory too). */
        DISK_HIT,
        /** Executed, and cached when successful. */
        MISS,
        /** Executed, never cached: a mutation, a subscription or an operational field. */
        BYPASS
    }

    /**
     * One answer: the serialized spec-shaped response, whether it has {@code data}, the code of its
     * first error, if any, and, for a client that takes gzip, the body gzipped once and kept with a
     * cached answer (none for a small or uncached one: the HTTP layer compresses those as it sends them).
     */
    public record Response(byte[] body, boolean dataPresent, Optional<String> errorCode, Source source, Optional<byte[]> gzipped) {
        Response(byte[] body, boolean dataPresent, Optional<String> errorCode, Source source) {
            this(body, dataPresent, errorCode, source, Optional.empty());
        }
    }

    /**
     * Answers smaller than this are not kept gzipped: the gzip header and a TCP segment's worth of
     * bytes gain nothing. The HTTP layer's gzip handler compresses from the same size.
     */
    public static final int MIN_GZIP_BYTES = 1500;

    /** A cached answer and, once a client that takes gzip has hit it, its gzipped form (in the weight from then on). */
    private record CachedBody(byte[] body, byte[] gzipped, int weight) {
        CachedBody(ResultKey key, byte[] body) {
            this(body, null, GraphqlResponses.weight(key, body.length));
        }

        CachedBody withGzipped(ResultKey key) {
            byte[] compressed = gzip(body);
            return new CachedBody(body, compressed, GraphqlResponses.weight(key, body.length + compressed.length));
        }
    }

    private record Operation(OperationDefinition.Operation kind, Set<String> rootFields, boolean plainFields) {}

    /**
     * A cacheable request as asked, for computing its answer again after a change: with the visibility
     * of the caller that asked it last (its scopes, roles and departments; the scope string names exactly
     * that), how many times it was asked, and whether its answer is kept on disk.
     */
    private record Asked(GraphqlRequest request, Caller caller, boolean onDisk, LongAdder uses) {
        /** A result key without the data version and day: the same question asked again. */
        record Key(String normalized, String operationName, String variables, String scope) {
            ResultKey at(long version, LocalDate day, String configuration) {
                return new ResultKey(normalized, operationName, variables, scope, version, day, configuration);
            }
        }

        /** The caller's visibility only: its name and token are not kept. */
        static Caller visibilityOf(Caller caller) {
            return new Caller("cache-warm-up", caller.scopes(), caller.roles(), caller.departments(), "cache-warm-up");
        }
    }

    /** A parsed document and its printed (normalised) form, per document text. */
    private record Analysis(Optional<Document> document, String normalized) {
        Optional<Operation> operation(String operationName) {
            if (document.isEmpty()) {
                return Optional.empty();
            }
            List<OperationDefinition> operations = document.get().getDefinitionsOfType(OperationDefinition.class);
            return operations.stream()
                    .filter(operation -> operationName == null ? operations.size() == 1 : operationName.equals(operation.getName()))
                    .findFirst()
                    .map(Analysis::describe);
        }

        private static Operation describe(OperationDefinition operation) {
            List<String> fields = new ArrayList<>();
            boolean plain = true;
            for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
                if (selection instanceof Field field) {
                    fields.add(field.getName());
                }
                else {
                    plain = false;
                }
            }
            return new Operation(operation.getOperation(), Set.copyOf(fields), plain);
        }
    }

    private final GraphqlEngine engine;
    private final ObjectMapper mapper;
    private final ObjectMapper canonical;
    private final LongSupplier dataVersion;
    private final Clock clock;
    private final CacheSettings settings;
    private final Cache<String, Analysis> analyses = Caffeine.newBuilder().maximumSize(2_000).build();
    private final Cache<ResultKey, CachedBody> memory;
    private final Optional<DiskTier> disk;
    private final PersistedQueries persistedQueries = new PersistedQueries(10_000);
    private final Optional<QueryTimeouts> timeouts;
    private final Map<ResultKey, CompletableFuture<Response>> inFlight = new ConcurrentHashMap<>();
    /** The cacheable requests asked in the last day, with how often, for {@link #warmUp()}; empty unless warming is on. */
    private final Cache<Asked.Key, Asked> asked = Caffeine.newBuilder().maximumSize(1_000).expireAfterAccess(Duration.ofDays(1)).build();
    private final AtomicLong warmed = new AtomicLong();
    private final Map<Source, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong sharedExecutions = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong uncacheable = new AtomicLong();

    private GraphqlResponses(GraphqlEngine engine, ObjectMapper mapper, LongSupplier dataVersion, Clock clock, CacheSettings settings,
            Optional<DiskTier> disk, Optional<QueryTimeouts> timeouts) {
        this.engine = requireNonNull(engine, "engine is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.dataVersion = requireNonNull(dataVersion, "dataVersion is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.disk = disk;
        this.timeouts = timeouts;
        this.memory = Caffeine.newBuilder()
                .maximumWeight(settings.resultCacheBytes())
                .weigher((ResultKey key, CachedBody body) -> body.weight())
                .recordStats()
                .build();
        for (Source source : Source.values()) {
            answers.put(source, new AtomicLong());
        }
    }

    /**
     * Cached answers over {@code engine}, keyed on {@code dataVersion}; the disk tier opens in
     * {@code settings.diskDirectory()} when there is one.
     */
    public static GraphqlResponses cached(GraphqlEngine engine, ObjectMapper mapper, LongSupplier dataVersion, Clock clock, CacheSettings settings,
            Optional<QueryTimeouts> timeouts) {
        Optional<DiskTier> disk = settings.diskDirectory().filter(directory -> settings.diskTierBytes() > 0)
                .map(directory -> new DiskTier(directory, settings.diskTierBytes()));
        return new GraphqlResponses(engine, mapper, dataVersion, clock, settings, disk, timeouts);
    }

    /** Every request executed, nothing cached (no cacheable field). */
    public static GraphqlResponses uncached(GraphqlEngine engine, ObjectMapper mapper) {
        CacheSettings none = new CacheSettings(0, 0, Optional.empty(), CacheSettings.DEFAULT_QUERY_TIMEOUT, Set.of(), Set.of(), 0, "");
        return new GraphqlResponses(engine, mapper, () -> 0, Clock.systemUTC(), none, Optional.empty(), Optional.empty());
    }

    public PersistedQueries persistedQueries() {
        return persistedQueries;
    }

    public Response execute(GraphqlRequest request, String scope) {
        return execute(request, scope, false);
    }

    /**
     * As {@link #execute(GraphqlRequest, String)}; for a client that takes gzip ({@code gzip}), a
     * cached answer of at least {@link #MIN_GZIP_BYTES} comes gzipped, compressed on its first such
     * hit and kept (browsers and BI connectors all send {@code Accept-Encoding: gzip}: compressing a
     * 25 KB answer on every hit took half the cached requests per second at 64 clients).
     */
    public Response execute(GraphqlRequest request, String scope, boolean gzip) {
        requireNonNull(request, "request is null");
        requireNonNull(scope, "scope is null");
        Analysis analysis = analyses.get(request.query(), GraphqlResponses::analyze);
        Optional<Operation> operation = analysis.operation(request.operationName());
        if (operation.isEmpty() || !cacheable(operation.get())) {
            return count(run(request, Source.BYPASS));
        }
        long version = dataVersion.getAsLong();
        ResultKey key = new ResultKey(analysis.normalized(), request.operationName(), canonicalVariables(request), scope, version,
                LocalDate.now(clock.withZone(ZoneOffset.UTC)), settings.configuration());
        boolean onDisk = disk.isPresent() && settings.diskFields().containsAll(operation.get().rootFields());
        CachedBody hit = memory.getIfPresent(key);
        if (hit != null) {
            noteAsked(request, key, onDisk);
            return count(new Response(hit.body(), true, Optional.empty(), Source.HIT, gzip ? gzipped(key, hit) : Optional.empty()));
        }
        CompletableFuture<Response> mine = new CompletableFuture<>();
        CompletableFuture<Response> running = inFlight.putIfAbsent(key, mine);
        // A shared answer goes to clients of either encoding, so an executed one never carries gzipped bytes (see Response).
        if (running != null) {
            sharedExecutions.incrementAndGet();
            return count(noteAsked(running.join(), request, key, onDisk));
        }
        try {
            Response response = lookUpOrExecute(request, key, onDisk);
            mine.complete(response);
            return count(noteAsked(response, request, key, onDisk));
        }
        catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
        finally {
            inFlight.remove(key, mine);
        }
    }

    /** Counts {@code request} among those asked, for {@link #warmUp()}, when warming is on. */
    private void noteAsked(GraphqlRequest request, ResultKey key, boolean onDisk) {
        if (settings.warmAfterChange() > 0) {
            asked.get(new Asked.Key(key.document(), key.operationName(), key.variables(), key.scope()),
                    ignored -> new Asked(request, Asked.visibilityOf(Caller.current()), onDisk, new LongAdder())).uses().increment();
        }
    }

    /** As above for an executed answer, when it was a successful one (an answer with errors is never worth warming). */
    private Response noteAsked(Response response, GraphqlRequest request, ResultKey key, boolean onDisk) {
        if (response.dataPresent() && response.errorCode().isEmpty()) {
            noteAsked(request, key, onDisk);
        }
        return response;
    }

    private Response lookUpOrExecute(GraphqlRequest request, ResultKey key, boolean onDisk) {
        if (onDisk) {
            Optional<byte[]> persisted = disk.get().get(key);
            if (persisted.isPresent()) {
                memory.put(key, new CachedBody(key, persisted.get()));
                return new Response(persisted.get(), true, Optional.empty(), Source.DISK_HIT);
            }
        }
        Response response = run(request, Source.MISS);
        if (response.dataPresent() && response.errorCode().isEmpty() && key.dataVersion() == dataVersion.getAsLong()) {
            memory.put(key, new CachedBody(key, response.body()));
            stored.incrementAndGet();
            if (onDisk) {
                disk.get().put(key, response.body());
            }
        }
        else {
            uncacheable.incrementAndGet();
        }
        return response;
    }

    private boolean cacheable(Operation operation) {
        return operation.kind() == OperationDefinition.Operation.QUERY && operation.plainFields() && !operation.rootFields().isEmpty()
                && settings.cacheableFields().containsAll(operation.rootFields());
    }

    private Response run(GraphqlRequest request, Source source) {
        ExecutionResult result = engine.execute(request);
        Map<String, Object> specification = GraphqlEngine.specification(result);
        return new Response(serialize(specification), result.isDataPresent(), firstErrorCode(result), source);
    }

    private static Optional<String> firstErrorCode(ExecutionResult result) {
        if (result.getErrors().isEmpty()) {
            return Optional.empty();
        }
        GraphQLError first = result.getErrors().get(0);
        Object code = first.getExtensions() == null ? null : first.getExtensions().get("code");
        return Optional.of(code == null ? "" : code.toString());
    }

    private Response count(Response response) {
        answers.get(response.source()).incrementAndGet();
        return response;
    }

    private static int weight(ResultKey key, long bodyBytes) {
        long weight = key.weight() + bodyBytes + 64;
        return (int) Math.min(Integer.MAX_VALUE, weight);
    }

    /**
     * The gzipped body of a cached answer: kept from an earlier hit, else compressed now and kept
     * (unless the entry changed meanwhile; two racing hits compress the same bytes twice at worst).
     */
    private Optional<byte[]> gzipped(ResultKey key, CachedBody hit) {
        if (hit.body().length < MIN_GZIP_BYTES) {
            return Optional.empty();
        }
        if (hit.gzipped() != null) {
            return Optional.of(hit.gzipped());
        }
        CachedBody compressed = hit.withGzipped(key);
        memory.asMap().replace(key, hit, compressed);
        return Optional.of(compressed.gzipped());
    }

    /** {@code bytes} gzipped (java.util.zip's default level, as HTTP servers use). */
    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out, 8192)) {
            zip.write(bytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Analysis analyze(String query) {
        try {
            Document document = Parser.parse(query);
            return new Analysis(Optional.of(document), AstPrinter.printAstCompact(document));
        }
        catch (InvalidSyntaxException e) {
            return new Analysis(Optional.empty(), query);
        }
    }

    private String canonicalVariables(GraphqlRequest request) {
        try {
            return canonical.writeValueAsString(request.variables());
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the variables cannot be read as JSON", e);
        }
    }

    private byte[] serialize(Map<String, Object> specification) {
        try {
            return mapper.writeValueAsBytes(specification);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot write the response", e);
        }
    }

    /**
     * Drops the answers of data versions before {@code version}: they can never be hit again, so
     * their memory is better used for current ones. The disk tier is pruned on {@code executor}.
     */
    public void dataChanged(long version, Executor executor) {
        memory.asMap().keySet().removeIf(key -> key.dataVersion() < version);
        disk.ifPresent(tier -> executor.execute(() -> {
            try {
                tier.dropBefore(version);
            }
            catch (RuntimeException e) {
                LOG.warn("could not prune the disk tier of data versions before {}", version, e);
            }
        }));
    }

    /**
     * Computes again, for the current data version, the answers of the {@link CacheSettings#warmAfterChange()}
     * requests asked most often in the last day, unless they are cached already, each with the
     * visibility of the caller who asked it (so it is stored under, and only ever served to, that
     * caller's scope). The server runs it in the background after the rebuild that follows each change:
     * the dashboards' next viewers find their answers cached instead of waiting for them. It stops
     * when the data changes again (the next rebuild warms up anew). A request asking for an answer
     * meanwhile computes it itself, as it would without warming.
     *
     * @return how many answers were computed and cached
     */
    public int warmUp() {
        int limit = settings.warmAfterChange();
        if (limit == 0) {
            return 0;
        }
        long version = dataVersion.getAsLong();
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Map.Entry<Asked.Key, Asked>> mostAsked = asked.asMap().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Asked.Key, Asked> entry) -> entry.getValue().uses().sum()).reversed())
                .limit(limit)
                .toList();
        int computed = 0;
        for (Map.Entry<Asked.Key, Asked> entry : mostAsked) {
            if (dataVersion.getAsLong() != version || Thread.currentThread().isInterrupted()) {
                break;
            }
            ResultKey key = entry.getKey().at(version, day, settings.configuration());
            if (memory.asMap().containsKey(key)) {
                continue;
            }
            Asked request = entry.getValue();
            try (Caller.Binding binding = Caller.bind(request.caller())) {
                lookUpOrExecute(request.request(), key, request.onDisk());
                // Cached now, from the disk tier or computed (an answer with errors is not stored, so not counted).
                computed += memory.asMap().containsKey(key) ? 1 : 0;
            }
            catch (RuntimeException e) {
                LOG.warn("warming the cached answer of a request failed; its next asker computes it: {}", e.getMessage());
            }
        }
        warmed.addAndGet(computed);
        return computed;
    }

    /** Forgets every cached answer, in memory and on disk (the benchmark's cold start). */
    public void invalidateAll() {
        memory.invalidateAll();
        disk.ifPresent(DiskTier::clear);
    }

    /** Hit ratio, sizes and evictions of every cache, and the request limits' counters. */
    public Map<String, Object> metrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("resultCache", memoryMetrics());
        metrics.put("diskTier", disk.map(DiskTier::metrics).orElse(Map.of("enabled", false)));
        metrics.put("persistedQueries", persistedQueries.metrics());
        Map<String, Object> requests = new LinkedHashMap<>();
        answers.forEach((source, count) -> requests.put(source.name().toLowerCase(java.util.Locale.ROOT), count.get()));
        requests.put("sharedExecutions", sharedExecutions.get());
        requests.put("warmedAfterChange", warmed.get());
        requests.put("timedOut", timeouts.map(QueryTimeouts::timedOutRequests).orElse(0L));
        requests.put("cancelledStatements", timeouts.map(QueryTimeouts::cancelledStatements).orElse(0L));
        requests.put("timeoutMillis", timeouts.map(timeout -> timeout.timeout().toMillis()).orElse(0L));
        metrics.put("requests", requests);
        metrics.put("dataVersion", dataVersion.getAsLong());
        return metrics;
    }

    private Map<String, Object> memoryMetrics() {
        // Caffeine applies writes' weights in its maintenance, which runs asynchronously: run it now, so the sizes are current.
        memory.cleanUp();
        CacheStats stats = memory.stats();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("hits", stats.hitCount());
        metrics.put("misses", stats.missCount());
        metrics.put("hitRatio", stats.requestCount() == 0 ? 0.0 : stats.hitRate());
        metrics.put("entries", memory.estimatedSize());
        metrics.put("weightBytes", memory.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0L)).orElse(0L));
        metrics.put("maxWeightBytes", settings.resultCacheBytes());
        metrics.put("evictions", stats.evictionCount());
        metrics.put("evictedBytes", stats.evictionWeight());
        metrics.put("stored", stored.get());
        metrics.put("notStored", uncacheable.get());
        return metrics;
    }

    @Override
    public void close() {
        disk.ifPresent(DiskTier::close);
    }
}
