package io.finhub.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.ingest.SingerPreset.StreamMapping;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Singer message stream once: RECORDs of mapped streams become rows of JSON-lines files,
 * one per dataset (each row carrying the stream line it came from, for problem reports), the last
 * STATE is kept to hand back after the commit, and the stream's SHA-256 is computed on the way.
 */
final class SingerStream {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final String DATASET = "singer";

    private final Map<String, BatchPart> parts = new LinkedHashMap<>();
    private final List<IngestProblem> problems = new ArrayList<>();
    private String lastState;
    private String checksum;

    private SingerStream() {}

    static SingerStream read(InputStream input, SingerPreset preset, Map<String, String> parameters, Path directory, IngestDatasets datasets) {
        SingerStream stream = new SingerStream();
        MessageDigest digest = Checksums.newDigest();
        Map<String, BufferedWriter> writers = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new DigestInputStream(input, digest), StandardCharsets.UTF_8))) {
            Set<String> described = new HashSet<>();
            long lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (!line.isBlank()) {
                    stream.message(line, lineNumber, described, preset, parameters, directory, datasets, writers);
                }
            }
            for (BufferedWriter writer : writers.values()) {
                writer.close();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stream.checksum = HexFormat.of().formatHex(digest.digest());
        return stream;
    }

    private void message(String line, long lineNumber, Set<String> described, SingerPreset preset, Map<String, String> parameters, Path directory,
            IngestDatasets datasets, Map<String, BufferedWriter> writers) throws IOException {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        }
        catch (JsonProcessingException e) {
            problems.add(new IngestProblem(DATASET, lineNumber, null, null, "not a JSON message: " + e.getOriginalMessage()));
            return;
        }
        String type = message.path("type").asText("");
        String streamName = message.path("stream").asText("");
        switch (type) {
            case "SCHEMA" -> described.add(streamName);
            case "STATE" -> lastState = message.path("value").toString();
            case "ACTIVATE_VERSION" -> {}
            case "RECORD" -> {
                if (!described.contains(streamName)) {
                    problems.add(new IngestProblem(DATASET, lineNumber, null, streamName, "RECORD of a stream whose SCHEMA message has not come yet"));
                    return;
                }
                Optional<StreamMapping> mapping = preset.stream(streamName);
                if (mapping.isPresent()) {
                    record(mapping.get(), message.path("record"), lineNumber, preset, parameters, directory, datasets, writers);
                }
            }
            default -> problems.add(new IngestProblem(DATASET, lineNumber, null, type, "not a Singer message type this target reads (SCHEMA, RECORD, STATE)"));
        }
    }

    private void record(StreamMapping mapping, JsonNode record, long lineNumber, SingerPreset preset, Map<String, String> parameters, Path directory,
            IngestDatasets datasets, Map<String, BufferedWriter> writers) throws IOException {
        if (!preset.matches(mapping, record)) {
            return;
        }
        BufferedWriter writer = writers.get(mapping.dataset());
        if (writer == null) {
            Dataset dataset = datasets.require(mapping.dataset());
            Path file = directory.resolve(dataset.name() + ".jsonl");
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writers.put(dataset.name(), writer);
            IngestMode mode = mapping.mode().orElse(IngestMode.UPSERT);
            parts.put(dataset.name(), new BatchPart(dataset, file, IngestFormat.JSONL, mode, IngestService.partition(dataset, mode, List.of()),
                    "singer stream " + mapping.stream(), true, true, mapping.glLines(), true));
        }
        for (JsonNode line : SingerPreset.lines(mapping, record)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(BatchPart.LINE_FIELD, lineNumber);
            mapping.columns().forEach((column, spec) -> row.put(column, preset.value(spec, record, line, parameters)));
            writer.write(JSON.writeValueAsString(row));
            writer.newLine();
        }
    }

    List<BatchPart> parts() {
        return List.copyOf(parts.values());
    }

    List<IngestProblem> problems() {
        return List.copyOf(problems);
    }

    Optional<String> lastState() {
        return Optional.ofNullable(lastState);
    }

    String checksum() {
        return checksum;
    }
}
