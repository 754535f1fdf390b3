package io.finhub.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.io.IOException;
import java.util.Optional;

/**
 * The JSON the alert feature writes: stored rule definitions and scopes, webhook bodies and event
 * payloads. Dates are ISO strings, decimals plain, and an {@code Optional} is its value or null (the
 * features' event records use Optional components).
 */
final class AlertJson {
    private AlertJson() {}

    static ObjectMapper mapper(ObjectMapper base) {
        SimpleModule optionals = new SimpleModule("finhub-optional");
        optionals.addSerializer(Optional.class, new OptionalSerializer());
        return base.copy()
                .registerModule(new JavaTimeModule())
                .registerModule(optionals)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot write JSON", e);
        }
    }

    static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot read stored JSON as " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings("rawtypes")
    private static final class OptionalSerializer extends JsonSerializer<Optional> {
        @Override
        public void serialize(Optional value, JsonGenerator generator, SerializerProvider serializers) throws IOException {
            if (value.isPresent()) {
                serializers.defaultSerializeValue(value.get(), generator);
            }
            else {
                generator.writeNull();
            }
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Optional value) {
            return value == null || value.isEmpty();
        }
    }
}
