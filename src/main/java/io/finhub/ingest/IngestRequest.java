package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One file to import into one dataset.
 *
 * @param format how to read the file; by default from its name
 * @param mode by default the dataset's ({@link Dataset#defaultMode()})
 * @param partitions the partition a REPLACE replaces; empty for the other modes
 * @param idempotencyKey by default {@code sha256:<checksum>:<dataset>:<mode>[:<partition>]}
 * @param checksum the file's SHA-256 (hex) when the caller computed it while receiving the file
 * @param actor who imports, for the audit trail: {@code cli:<user>}, {@code http:<address>}
 * @param source what the audit trail calls the input: a path, an upload's name
 */
public record IngestRequest(String dataset, Path file, Optional<IngestFormat> format, Optional<IngestMode> mode, List<Partition> partitions,
        Optional<String> idempotencyKey, Optional<String> checksum, String actor, String source) {
    public IngestRequest {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(file, "file is null");
        requireNonNull(format, "format is null");
        requireNonNull(mode, "mode is null");
        partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        requireNonNull(checksum, "checksum is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(source, "source is null");
    }

    /** A file with every option at its default. */
    public static IngestRequest of(String dataset, Path file, String actor) {
        return new IngestRequest(dataset, file, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), actor, file.toString());
    }

    public IngestRequest withMode(IngestMode newMode, List<Partition> newPartitions) {
        return new IngestRequest(dataset, file, format, Optional.of(newMode), newPartitions, idempotencyKey, checksum, actor, source);
    }

    public IngestRequest withIdempotencyKey(String key) {
        return new IngestRequest(dataset, file, format, mode, partitions, Optional.of(key), checksum, actor, source);
    }
}
