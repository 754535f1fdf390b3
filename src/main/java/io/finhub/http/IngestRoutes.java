package io.finhub.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.ingest.Checksums;
import io.finhub.ingest.IngestFormat;
import io.finhub.ingest.IngestMode;
import io.finhub.ingest.IngestProgress;
import io.finhub.ingest.IngestRequest;
import io.finhub.ingest.IngestResult;
import io.finhub.ingest.IngestService;
import io.finhub.ingest.IngestStatus;
import io.finhub.ingest.Partition;
import io.finhub.ingest.SingerPreset;
import io.finhub.ingest.SingerRequest;
import io.finhub.security.Caller;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /import/{dataset}}: the request body (CSV, JSON lines or Parquet, as the Content-Type
 * or {@code ?format=} says; gzipped CSV or JSON lines recognised by their first bytes) is streamed to a
 * temporary file, never held in memory, then loaded like
 * {@code finhub import}. {@code POST /import/singer/{preset}} takes a Singer message stream. Query
 * parameters: {@code mode}, {@code partition=column=value} (repeatable), {@code idempotencyKey} (or
 * the {@code Idempotency-Key} header), {@code param=name=value} for Singer presets. A rejected batch
 * answers 422 with every problem.
 */
public final class IngestRoutes implements HttpModule {
    private final IngestService ingest;
    private final ObjectMapper mapper;

    public IngestRoutes(IngestService ingest, ObjectMapper mapper) {
        this.ingest = requireNonNull(ingest, "ingest is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public void routes(Javalin app) {
        app.post("/import/singer/{preset}", this::importSinger);
        app.post("/import/{dataset}", this::importFile);
    }

    private void importFile(Context context) throws IOException {
        String dataset = context.pathParam("dataset");
        IngestFormat format = Optional.ofNullable(context.queryParam("format")).map(IngestFormat::parse)
                .or(() -> IngestFormat.fromContentType(context.contentType()))
                .orElseThrow(() -> new FinhubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "send Content-Type text/csv, application/x-ndjson or application/vnd.apache.parquet, or ?format=csv|jsonl|parquet"));
        InputStream body = new BufferedInputStream(context.bodyInputStream());
        Path file = Files.createTempFile("finhub-upload-", format.extension() + (isGzip(body) ? ".gz" : ""));
        try {
            String checksum;
            try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
                checksum = Checksums.copy(in, out);
            }
            Optional<IngestMode> mode = Optional.ofNullable(context.queryParam("mode")).map(IngestMode::parse);
            List<Partition> partitions = context.queryParams("partition").stream().map(Partition::parse).toList();
            IngestRequest request = new IngestRequest(dataset, file, Optional.of(format), mode, partitions, idempotencyKey(context), Optional.of(checksum),
                    actor(context), "upload:" + Optional.ofNullable(context.queryParam("filename")).orElse(dataset));
            respond(context, ingest.importFile(request, IngestProgress.NONE));
        }
        finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Whether the body starts with gzip's magic bytes (1f 8b). DuckDB's readers decompress by the file
     * name alone, so a gzipped upload needs a temporary file ending in .gz; the bytes are the one signal
     * every client sends ({@code finhub import --server} names the format, curl may name nothing, and
     * {@code Content-Encoding: gzip} is optional). Leaves the stream where it was.
     */
    private static boolean isGzip(InputStream body) throws IOException {
        body.mark(2);
        byte[] head = body.readNBytes(2);
        body.reset();
        return head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    private void importSinger(Context context) throws IOException {
        SingerPreset preset = SingerPreset.named(context.pathParam("preset"));
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : context.queryParams("param")) {
            Partition pair = Partition.parse(parameter);
            parameters.put(pair.column(), pair.value());
        }
        try (InputStream in = context.bodyInputStream()) {
            SingerRequest request = new SingerRequest(preset, parameters, in, idempotencyKey(context), actor(context), "upload:singer:" + preset.name());
            respond(context, ingest.importSinger(request, IngestProgress.NONE));
        }
    }

    private static Optional<String> idempotencyKey(Context context) {
        return Optional.ofNullable(context.header("Idempotency-Key")).or(() -> Optional.ofNullable(context.queryParam("idempotencyKey")));
    }

    /** The authenticated caller and the address it came from (without security: the address only). */
    private static String actor(Context context) {
        Caller caller = Caller.current();
        return caller == Caller.SYSTEM ? "http:" + context.ip() : caller.subject() + " via http:" + context.ip();
    }

    private void respond(Context context, IngestResult result) throws JsonProcessingException {
        Map<String, Object> body = body(result);
        if (result.status() == IngestStatus.REJECTED) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", ErrorCode.VALIDATION_FAILED.name());
            error.put("message", "the batch has %d problem%s; nothing was written".formatted(result.problemCount(), result.problemCount() == 1 ? "" : "s"));
            error.put("problemCount", result.problemCount());
            error.put("problems", result.problems());
            error.put("idempotencyKey", result.idempotencyKey());
            error.put("checksum", result.checksum());
            body = Map.of("error", error);
        }
        int status = result.status() == IngestStatus.REJECTED ? ErrorCode.VALIDATION_FAILED.httpStatus() : 200;
        context.status(status).contentType("application/json").result(mapper.writeValueAsString(body));
    }

    static Map<String, Object> body(IngestResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.status());
        result.batchId().ifPresent(value -> body.put("batchId", value));
        body.put("idempotencyKey", result.idempotencyKey());
        body.put("checksum", result.checksum());
        result.dataVersion().ifPresent(value -> body.put("dataVersion", value));
        result.committedAt().ifPresent(value -> body.put("committedAt", value.toString()));
        body.put("rowCount", result.rowCount());
        body.put("datasets", result.datasets());
        result.singerState().ifPresent(value -> body.put("singerState", value));
        return body;
    }
}
