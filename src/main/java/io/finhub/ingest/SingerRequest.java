package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * A Singer message stream (SCHEMA, RECORD, STATE lines, as a tap writes them) to import with a
 * mapping preset.
 *
 * @param parameters values for the preset's {@code ${name}} placeholders, e.g. {@code entity_id=US}
 * @param idempotencyKey by default {@code sha256:<checksum of the stream>:singer:<preset>}
 */
public record SingerRequest(SingerPreset preset, Map<String, String> parameters, InputStream input, Optional<String> idempotencyKey, String actor,
        String source) {
    public SingerRequest {
        requireNonNull(preset, "preset is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        requireNonNull(input, "input is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(source, "source is null");
    }
}
