package io.finhub.ingest;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Locale;
import java.util.Optional;

/** The file formats DuckDB's own readers parse. */
public enum IngestFormat {
    /** Comma (or sniffed) separated values with a header line; gzip when the name ends in .gz. */
    CSV(".csv"),
    /** One JSON object per line. */
    JSONL(".jsonl"),
    PARQUET(".parquet");

    private final String extension;

    IngestFormat(String extension) {
        this.extension = extension;
    }

    /** The file name extension a temporary copy gets, so DuckDB's readers see what they read. */
    public String extension() {
        return extension;
    }

    public static IngestFormat parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "csv", "tsv", "txt" -> CSV;
            case "json", "jsonl", "ndjson", "jsonlines" -> JSONL;
            case "parquet" -> PARQUET;
            default -> throw new FinhubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unknown format '" + text + "': use csv, jsonl or parquet");
        };
    }

    /** The format a file name implies: .csv, .tsv, .jsonl, .ndjson, .json, .parquet, each optionally .gz (not Parquet). */
    public static Optional<IngestFormat> fromFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(name.substring(dot + 1)));
        }
        catch (FinhubException e) {
            return Optional.empty();
        }
    }

    /** The format an HTTP Content-Type names, if it names one. */
    public static Optional<IngestFormat> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("text/csv") || type.startsWith("text/tab-separated-values")) {
            return Optional.of(CSV);
        }
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl") || type.startsWith("application/json")) {
            return Optional.of(JSONL);
        }
        if (type.startsWith("application/vnd.apache.parquet") || type.startsWith("application/x-parquet")) {
            return Optional.of(PARQUET);
        }
        return Optional.empty();
    }
}
