package io.finhub.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Date} scalar of graphql-java-extended-scalars with a strict reading of strings: that scalar parses
 * {@code yyyy-MM-dd} leniently and answered {@code 2025-02-30} for 2025-02-28. Here a day the month does not have is
 * the client's error naming the value; serialization is the extended scalar's own.
 */
final class StrictDateScalar {
    static final GraphQLScalarType DATE = GraphQLScalarType.newScalar(ExtendedScalars.Date).coercing(new StrictCoercing(ExtendedScalars.Date.getCoercing())).build();

    private StrictDateScalar() {}

    private static final class StrictCoercing implements Coercing<Object, Object> {
        private final Coercing<Object, Object> lenient;

        @SuppressWarnings("unchecked")
        StrictCoercing(Coercing<?, ?> lenient) {
            this.lenient = (Coercing<Object, Object>) lenient;
        }

        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) throws CoercingSerializeException {
            return lenient.serialize(value, context, locale);
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) throws CoercingParseValueException {
            if (!(input instanceof String text)) {
                return lenient.parseValue(input, context, locale);
            }
            return parse(text).orElseThrow(() -> new CoercingParseValueException(message(text)));
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) throws CoercingParseLiteralException {
            if (!(input instanceof StringValue string)) {
                return lenient.parseLiteral(input, variables, context, locale);
            }
            return parse(string.getValue()).orElseThrow(() -> new CoercingParseLiteralException(message(string.getValue())));
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return lenient.valueToLiteral(input, context, locale);
        }

        private static Optional<LocalDate> parse(String text) {
            try {
                return Optional.of(LocalDate.parse(text));
            }
            catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }

        private static String message(String text) {
            return "'%s' is not a calendar date: a Date is yyyy-MM-dd with a day the month has".formatted(text);
        }
    }
}
