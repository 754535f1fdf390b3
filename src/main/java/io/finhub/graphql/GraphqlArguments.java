package io.finhub.graphql;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import graphql.execution.ValuesResolver;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.InputValueWithState;
import io.finhub.store.FiscalCalendar;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed reads of GraphQL input maps; a wrong shape is the client's error and says which field. */
public final class GraphqlArguments {
    private GraphqlArguments() {}

    /**
     * The [from, to] of the core schema's {@code PeriodInput} (a fiscal year and quarter, or from and/or to), so every field
     * taking one refuses the same mistakes with the same code, {@code INVALID_DATE_RANGE}, naming the field.
     */
    public static LocalDate[] period(Map<String, Object> period, FiscalCalendar calendar) {
        return CatalogFetchers.range(period, calendar);
    }

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
