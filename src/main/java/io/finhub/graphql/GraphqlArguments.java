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
     * The argument {@code name} of the field being fetched, with the schema's default wherever the client sent an explicit
     * {@code null}: GraphQL applies a default only to what is left out and passes a written null through, so without this
     * {@code limit: null} reached the services as a null where the schema promises {@code 100}. Input objects (also inside
     * lists) get the same treatment for their fields; a field without a default keeps its null (a patch's "clear this").
     */
    @SuppressWarnings("unchecked")
    public static <T> T argument(DataFetchingEnvironment environment, String name) {
        GraphQLArgument argument = environment.getFieldDefinition().getArgument(name);
        Object value = environment.getArgument(name);
        if (argument == null) {
            return (T) value;
        }
        if (value == null) {
            return (T) (argument.hasSetDefaultValue() ? defaultValue(argument.getArgumentDefaultValue(), argument.getType(), environment) : null);
        }
        return (T) withDefaults(value, argument.getType(), environment);
    }

    /**
     * The [from, to] of the core schema's {@code PeriodInput} (a fiscal year and quarter, or from and/or to), so every field
     * taking one refuses the same mistakes with the same code, {@code INVALID_DATE_RANGE}, naming the field.
     */
    public static LocalDate[] period(Map<String, Object> period, FiscalCalendar calendar) {
        return CatalogFetchers.range(period, calendar);
    }

    @SuppressWarnings("unchecked")
    private static Object withDefaults(Object value, GraphQLInputType type, DataFetchingEnvironment environment) {
        Object unwrapped = GraphQLTypeUtil.unwrapNonNull(type);
        if (unwrapped instanceof GraphQLList list && value instanceof List<?> items) {
            return items.stream().map(item -> item == null ? null : withDefaults(item, (GraphQLInputType) list.getWrappedType(), environment)).toList();
        }
        if (!(unwrapped instanceof GraphQLInputObjectType object) || !(value instanceof Map<?, ?> map)) {
            return value;
        }
        Map<String, Object> filled = new LinkedHashMap<>((Map<String, Object>) map);
        for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
            Object fieldValue = filled.get(field.getName());
            if (fieldValue != null) {
                filled.put(field.getName(), withDefaults(fieldValue, field.getType(), environment));
            }
            else if (filled.containsKey(field.getName()) && field.hasSetDefaultValue()) {
                filled.put(field.getName(), defaultValue(field.getInputFieldDefaultValue(), field.getType(), environment));
            }
        }
        return filled;
    }

    private static Object defaultValue(InputValueWithState defaultValue, GraphQLInputType type, DataFetchingEnvironment environment) {
        return ValuesResolver.valueToInternalValue(defaultValue, type, environment.getGraphQlContext(), environment.getLocale());
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
