package io.finhub.graphql;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed reads of GraphQL input maps; a wrong shape is the client's error and says which field. */
final class GraphqlArguments {
    private GraphqlArguments() {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String field) {
        try {
            return Enum.valueOf(type, String.valueOf(value));
        }
        catch (IllegalArgumentException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'%s' is not a valid %s".formatted(value, field));
        }
    }

    static <T> Optional<T> optional(Map<String, Object> map, String key, Class<T> type) {
        return Optional.ofNullable(map.get(key)).map(type::cast);
    }
}
