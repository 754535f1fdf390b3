package io.finhub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Finds the line of a JSON-lines file DuckDB could not read. DuckDB's reader names a byte offset and a
 * line number of its own (one past the line, or a "record/value" count), and no row; this reads the
 * file again, line by line, only after DuckDB refused it.
 */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 200;

    private JsonLines() {}

    /**
     * The first line of {@code file} (gzipped or not) that is neither blank nor JSON, as a problem of
     * that row (the line's number, from 1) with the line as its value and the parser's reason; empty
     * when every line parses (the file failed for another reason).
     */
    static Optional<IngestProblem> firstMalformedLine(String dataset, Path file) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            long number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                String text = number == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JSON.readTree(text);
                }
                catch (JsonProcessingException e) {
                    String shown = text.length() > SHOWN ? text.substring(0, SHOWN) : text;
                    return Optional.of(new IngestProblem(dataset, number, null, shown, "not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")));
                }
            }
            return Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        boolean gzipped = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzipped ? new GZIPInputStream(in) : in;
    }
}
