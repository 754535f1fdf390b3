package io.finhub.graphql;

import graphql.execution.ValuesResolver;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.InputValueWithState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An explicit {@code null} takes the schema's default, as a left-out argument does: GraphQL applies a default only to
 * what is left out and passes a written null through, so without this {@code limit: null} reached a service as a null
 * where the schema promises {@code 100}. Input objects (also inside lists) get the same treatment for their fields; a
 * field without a default keeps its null (a patch's "clear this").
 *
 * <p>Done once, around every data fetcher of a field that has a default anywhere in its arguments, so every fetcher,
 * and the audit of a mutation's arguments, sees the same arguments. Put it last in the instrumentation chain: the last
 * one wraps the others, so the environment it makes is the one they all get.
 */
final class ArgumentDefaults extends SimplePerformantInstrumentation {
    /** The fields whose arguments hold a default somewhere, by identity (decided once per field definition). */
    private final Map<GraphQLFieldDefinition, Boolean> withDefaults = new ConcurrentHashMap<>();

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
        GraphQLFieldDefinition field = parameters.getExecutionStepInfo().getFieldDefinition();
        if (field.getArguments().isEmpty() || !withDefaults.computeIfAbsent(field, ArgumentDefaults::hasDefaults)) {
            return fetcher;
        }
        return environment -> fetcher.get(filled(environment));
    }

    private static DataFetchingEnvironment filled(DataFetchingEnvironment environment) {
        Map<String, Object> arguments = new LinkedHashMap<>(environment.getArguments());
        boolean changed = false;
        for (GraphQLArgument argument : environment.getFieldDefinition().getArguments()) {
            Object value = arguments.get(argument.getName());
            Object filled;
            if (value == null) {
                if (!argument.hasSetDefaultValue()) {
                    continue;
                }
                filled = defaultValue(argument.getArgumentDefaultValue(), argument.getType(), environment);
            }
            else {
                filled = withDefaults(value, argument.getType(), environment);
            }
            if (filled != value) {
                arguments.put(argument.getName(), filled);
                changed = true;
            }
        }
        return changed ? DataFetchingEnvironmentImpl.newDataFetchingEnvironment(environment).arguments(arguments).build() : environment;
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

    private static boolean hasDefaults(GraphQLFieldDefinition field) {
        return field.getArguments().stream().anyMatch(argument -> argument.hasSetDefaultValue() || hasDefaults(argument.getType(), new java.util.HashSet<>()));
    }

    /** Whether an input type holds a field with a default, at any depth ({@code seen} stops recursive input types). */
    private static boolean hasDefaults(GraphQLInputType type, Set<String> seen) {
        Object unwrapped = GraphQLTypeUtil.unwrapAll(type);
        if (!(unwrapped instanceof GraphQLInputObjectType object) || !seen.add(object.getName())) {
            return false;
        }
        return object.getFieldDefinitions().stream().anyMatch(field -> field.hasSetDefaultValue() || hasDefaults(field.getType(), seen));
    }
}
