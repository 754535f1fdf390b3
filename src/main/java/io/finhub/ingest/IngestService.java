package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.audit.AuditLog;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.ingest.BatchPart.Batch;
import io.finhub.ingest.IngestProgress.Phase;
import io.finhub.ingest.IngestResult.DatasetResult;
import io.finhub.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Loads company data into the store without ever corrupting it. Every batch (a file, an upload, a
 * GraphQL batch of rows, a Singer stream) is read by DuckDB into staging tables, checked in full,
 * and written in one transaction together with its audit entry and a new data version; a batch
 * with any problem writes nothing and reports every problem. Batches run one at a time.
 */
public final class IngestService {
    /** The most rows {@link #importRows} takes; larger batches go through files. */
    public static final int MAX_ROWS_PER_CALL = 10_000;
    private static final Map<Store, ReentrantLock> LOCKS = new WeakHashMap<>();
    /** Hashes files while they are staged; daemon threads, so a finished command-line import never waits for one. */
    private static final ExecutorService CHECKSUMS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "finhub-ingest-checksum");
        thread.setDaemon(true);
        return thread;
    });

    private final Store store;
    private final Clock clock;
    private final Optional<ScheduledExecutorService> progressPoller;
    private final IngestDatasets datasets;
    private final IngestAudit audit;
    private final AuditLog auditLog;
    private final ObjectMapper json = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private final ReentrantLock oneBatchAtATime;

    public IngestService(Store store, Clock clock) {
        this(store, clock, Optional.empty());
    }

    /**
     * @param progressPoller polls DuckDB's progress estimate of long statements for an {@link IngestProgress}
     */
    public IngestService(Store store, Clock clock, Optional<ScheduledExecutorService> progressPoller) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.progressPoller = requireNonNull(progressPoller, "progressPoller is null");
        this.datasets = store.jdbi().withHandle(IngestDatasets::load);
        this.audit = new IngestAudit(store.jdbi());
        this.auditLog = new AuditLog(store, clock);
        this.oneBatchAtATime = lockOf(store);
    }

    /** One lock per store, so every service over it (GraphQL, HTTP) takes its turn. */
    private static ReentrantLock lockOf(Store store) {
        synchronized (LOCKS) {
            return LOCKS.computeIfAbsent(store, key -> new ReentrantLock(true));
        }
    }

    public List<Dataset> datasets() {
        return datasets.all();
    }

    public Dataset dataset(String name) {
        return datasets.require(name);
    }

    /** The most recent committed batches, newest first. */
    public List<IngestBatch> recentBatches(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "limit must be 1..1000, was " + limit);
        }
        return audit.recent(limit);
    }

    public IngestResult importFile(IngestRequest request, IngestProgress progress) {
        Dataset dataset = datasets.require(request.dataset());
        IngestMode mode = request.mode().orElse(dataset.defaultMode());
        PartitionPredicate partition = partition(dataset, mode, request.partitions());
        IngestFormat format = request.format().or(() -> IngestFormat.fromFileName(request.file().getFileName().toString()))
                .orElseThrow(() -> new FinhubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "cannot tell the format of " + request.source() + " from its name: give it as csv, jsonl or parquet"));
        if (!Files.isRegularFile(request.file())) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "no such file: " + request.source());
        }
        BatchPart part = BatchPart.ofFile(dataset, request.file(), format, mode, partition, request.source());
        Function<String, Batch> batchOf = checksum -> new Batch(request.idempotencyKey().orElse(defaultKey(checksum, dataset.name(), mode, partition)),
                checksum, request.actor(), request.source(), List.of(part), List.of(), null, request.idempotencyKey().isEmpty() && mode != IngestMode.APPEND);
        if (request.checksum().isPresent()) {
            return run(batchOf.apply(request.checksum().get()), progress);
        }
        progress.phase(dataset.name(), Phase.CHECKSUM);
        CompletableFuture<String> checksum = CompletableFuture.supplyAsync(() -> Checksums.sha256(request.file()), CHECKSUMS);
        return run(checksum, request.idempotencyKey(), List.of(part), List.of(), batchOf, progress);
    }

    /** A small batch of rows given as JSON objects (the GraphQL mutation), read like a JSON-lines file. */
    public IngestResult importRows(String datasetName, List<Map<String, Object>> rows, Optional<IngestMode> mode, List<Partition> partitions,
            Optional<String> idempotencyKey, String actor, String source) {
        if (rows.size() > MAX_ROWS_PER_CALL) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "at most %d rows per call, got %d: import larger batches as a file"
                    .formatted(MAX_ROWS_PER_CALL, rows.size()));
        }
        if (rows.isEmpty()) {
            // As a CSV file with its header only: nothing to import (a JSON-lines file without a record has no columns to check).
            Dataset dataset = datasets.require(datasetName);
            IngestMode chosen = mode.orElse(dataset.defaultMode());
            PartitionPredicate partition = partition(dataset, chosen, partitions);
            String checksum = HexFormat.of().formatHex(Checksums.newDigest().digest());
            return new IngestResult(IngestStatus.NOTHING_TO_IMPORT, Optional.empty(), idempotencyKey.orElse(defaultKey(checksum, dataset.name(), chosen, partition)),
                    checksum, Optional.empty(), Optional.empty(), List.of(), List.of(), 0, Optional.empty());
        }
        Path file = temporaryFile(".jsonl");
        try {
            MessageDigest digest = Checksums.newDigest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                for (Map<String, Object> row : rows) {
                    out.write(json.writeValueAsBytes(row));
                    out.write('\n');
                }
            }
            Optional<String> checksum = Optional.of(HexFormat.of().formatHex(digest.digest()));
            IngestRequest request = new IngestRequest(datasetName, file, Optional.of(IngestFormat.JSONL), mode, partitions, idempotencyKey, checksum,
                    actor, source);
            return importFile(request, IngestProgress.NONE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finally {
            deleteQuietly(file);
        }
    }

    /** A Singer stream: its records mapped by a preset to datasets, all of them written in one transaction. */
    public IngestResult importSinger(SingerRequest request, IngestProgress progress) {
        SingerPreset preset = request.preset();
        Path directory = temporaryDirectory();
        try {
            SingerStream stream = SingerStream.read(request.input(), preset, request.parameters(), directory, datasets);
            List<BatchPart> parts = stream.parts().stream()
                    .sorted(Comparator.comparingInt(part -> datasets.loadOrder(part.dataset().name())))
                    .toList();
            String key = request.idempotencyKey().orElse("sha256:" + stream.checksum() + ":singer:" + preset.name());
            return run(new Batch(key, stream.checksum(), request.actor(), request.source(), parts, stream.problems(), stream.lastState().orElse(null),
                    false),
                    progress);
        }
        finally {
            deleteRecursively(directory);
        }
    }

    static PartitionPredicate partition(Dataset dataset, IngestMode mode, List<Partition> partitions) {
        if (!dataset.modes().contains(mode)) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "%s takes mode %s, not %s".formatted(dataset.name(),
                    dataset.modes().stream().map(value -> value.name().toLowerCase(Locale.ROOT)).sorted().toList(), mode.name().toLowerCase(Locale.ROOT)));
        }
        if (mode == IngestMode.REPLACE && partitions.isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST,
                    "replace needs the partition it replaces, e.g. --partition entity_id=US01 --partition posting_date=2025-03");
        }
        if (mode != IngestMode.REPLACE && !partitions.isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "a partition only applies to mode replace");
        }
        return PartitionPredicate.of(dataset, partitions);
    }

    private static String defaultKey(String checksum, String dataset, IngestMode mode, PartitionPredicate partition) {
        String key = "sha256:" + checksum + ":" + dataset + ":" + mode.name().toLowerCase(Locale.ROOT);
        return partition.isEmpty() ? key : key + ":" + partition.describe();
    }

    private IngestResult run(Batch batch, IngestProgress progress) {
        return run(CompletableFuture.completedFuture(batch.checksum()), Optional.of(batch.idempotencyKey()), batch.parts(), batch.problems(),
                checksum -> batch, progress);
    }

    /**
     * Runs a batch, one at a time. A key known before anything is read (given, or derived from a
     * checksum given) that was already used is answered at once. Otherwise the checksum may still be
     * computed on another thread while DuckDB stages the file (for 5 million CSV rows, 0.3 s of
     * hashing then hides in 1.7 s of staging): a batch imported before under the key it derives is
     * answered as before, nothing validated or written, and the staging still running when the hash
     * shows it is cancelled.
     */
    private IngestResult run(CompletableFuture<String> checksum, Optional<String> knownKey, List<BatchPart> parts, List<IngestProblem> problems,
            Function<String, Batch> batchOf, IngestProgress progress) {
        oneBatchAtATime.lock();
        try {
            if (knownKey.isPresent()) {
                Resolution known = resolve(batchOf.apply(join(checksum)));
                if (known.answer().isPresent()) {
                    return alreadyImported(known.answer().get(), known.batch());
                }
            }
            return store.jdbi().withHandle(handle -> {
                BatchRunner runner = new BatchRunner(handle, parts, problems, progress, progressPoller);
                if (knownKey.isEmpty()) {
                    checksum.thenAccept(sum -> {
                        if (resolve(batchOf.apply(sum)).answer().isPresent()) {
                            runner.cancelStaging();
                        }
                    });
                }
                List<PartSql> staged = stage(runner);
                // Resolved again, after staging and under the lock: what answers it, and under which key it is imported.
                Resolution resolution = resolve(batchOf.apply(join(checksum)));
                if (resolution.answer().isPresent()) {
                    return alreadyImported(resolution.answer().get(), resolution.batch());
                }
                if (runner.stagingCancelled()) {
                    throw new IllegalStateException("staging was cancelled for a batch never imported: " + resolution.batch().idempotencyKey());
                }
                return commit(handle, runner, resolution.batch(), staged, progress);
            });
        }
        finally {
            oneBatchAtATime.unlock();
        }
    }

    /** The earlier batch that answers a batch (ALREADY_IMPORTED), or the batch to import, under the key it is to be recorded with. */
    private record Resolution(Optional<IngestBatch> answer, Batch batch) {}

    /**
     * What answers {@code batch}. A key the caller gave, or the default key of an append (or a Singer stream), is
     * answered for good by the batch imported under it: a retry changes nothing. The default key of an upsert or a
     * replace (the content's checksum, dataset, mode and partition) is answered by the latest batch of that content only
     * while no dataset it wrote has changed since: re-importing an earlier file after a later one applies it again
     * (it was answered "already imported" and the data stayed at the later file), recorded under the key with
     * {@code #2}, {@code #3}, ... appended.
     */
    private Resolution resolve(Batch batch) {
        if (!batch.reapplicable()) {
            return new Resolution(audit.find(batch.idempotencyKey()), batch);
        }
        List<IngestBatch> earlier = audit.findAll(batch.idempotencyKey());
        if (earlier.isEmpty()) {
            return new Resolution(Optional.empty(), batch);
        }
        IngestBatch latest = earlier.get(0);
        if (!audit.changedSince(latest)) {
            return new Resolution(Optional.of(latest), batch);
        }
        return new Resolution(Optional.empty(), batch.withKey(batch.idempotencyKey() + "#" + (earlier.size() + 1)));
    }

    private static String join(CompletableFuture<String> checksum) {
        try {
            return checksum.join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static List<PartSql> stage(BatchRunner runner) {
        try {
            return runner.stage();
        }
        catch (SQLException e) {
            throw failed(e);
        }
    }

    private IngestResult commit(Handle handle, BatchRunner runner, Batch batch, List<PartSql> staged, IngestProgress progress) {
        try {
            IngestBatch committed = auditLog.inTransaction(handle, transaction -> {
                List<DatasetResult> results = runner.validateAndWrite(staged);
                results.forEach(result -> progress.phase(result.dataset(), Phase.COMMITTING));
                List<String> changed = results.stream().map(DatasetResult::dataset).toList();
                long version = store.recordChange(transaction, "ingest:" + batch.source(), changed);
                IngestBatch record = new IngestBatch(UUID.randomUUID().toString(), batch.idempotencyKey(), clock.instant().truncatedTo(ChronoUnit.MICROS),
                        batch.actor(), batch.source(), batch.checksum(), version, results, Optional.ofNullable(batch.singerState()));
                audit.record(transaction, record);
                return record;
            }, this::auditEntry);
            store.publishCommitted(committed.dataVersion());
            return new IngestResult(IngestStatus.COMMITTED, Optional.of(committed.batchId()), committed.idempotencyKey(), committed.checksum(),
                    Optional.of(committed.dataVersion()), Optional.of(committed.committedAt()), committed.datasets(), List.of(), 0, committed.singerState());
        }
        catch (BatchRejected rejected) {
            IngestStatus status = rejected.isEmpty() ? IngestStatus.NOTHING_TO_IMPORT : IngestStatus.REJECTED;
            return new IngestResult(status, Optional.empty(), batch.idempotencyKey(), batch.checksum(), Optional.empty(), Optional.empty(), List.of(),
                    rejected.problems(), rejected.problemCount(), Optional.ofNullable(batch.singerState()));
        }
        catch (SQLException e) {
            throw failed(e);
        }
    }

    private static FinhubException failed(SQLException e) {
        return new FinhubException(ErrorCode.INTERNAL, "the import failed and was rolled back: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }

    /** The batch's entry in the hash-chained audit log, appended in the batch's own transaction. */
    private AuditLog.Draft auditEntry(IngestBatch batch) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("batchId", batch.batchId());
        detail.put("source", batch.source());
        detail.put("checksum", batch.checksum());
        detail.put("dataVersion", batch.dataVersion());
        detail.put("datasets", batch.datasets().stream()
                .map(dataset -> Map.of("dataset", dataset.dataset(), "mode", dataset.mode().name(), "inserted", dataset.inserted(), "updated",
                        dataset.updated(), "deleted", dataset.deleted()))
                .toList());
        try {
            return new AuditLog.Draft(batch.actor(), "import", String.join(",", batch.datasets().stream().map(DatasetResult::dataset).toList()),
                    json.writeValueAsString(detail));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the audit detail", e);
        }
    }

    private static IngestResult alreadyImported(IngestBatch previous, Batch batch) {
        if (!previous.checksum().equals(batch.checksum())) {
            throw new FinhubException(ErrorCode.IDEMPOTENCY_CONFLICT, "idempotency key '%s' was used on %s for different data (checksum %s); use a new key"
                    .formatted(batch.idempotencyKey(), previous.committedAt(), previous.checksum()));
        }
        return new IngestResult(IngestStatus.ALREADY_IMPORTED, Optional.of(previous.batchId()), previous.idempotencyKey(), previous.checksum(),
                Optional.of(previous.dataVersion()), Optional.of(previous.committedAt()), previous.datasets(), List.of(), 0, previous.singerState());
    }

    static Path temporaryFile(String suffix) {
        try {
            return Files.createTempFile("finhub-ingest-", suffix);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("finhub-singer-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    private static void deleteRecursively(Path directory) {
        try (var files = Files.list(directory)) {
            files.forEach(IngestService::deleteQuietly);
        }
        catch (IOException e) {
            directory.toFile().deleteOnExit();
        }
        deleteQuietly(directory);
    }
}
