package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.olingo.commons.api.edm.EdmPrimitiveType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.EdmProperty;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.expression.Binary;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.Method;
import org.apache.olingo.server.api.uri.queryoption.expression.Unary;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;

/**
 * Translates {@code $filter} and {@code $orderby} expressions, already parsed and type-checked by
 * Olingo, into DuckDB SQL over an {@link ODataRelation}. Properties become positional columns and
 * every literal a bound parameter, so nothing a client writes becomes SQL text. Anything outside
 * the supported subset is refused with 501, never approximated.
 *
 * <p>Null semantics follow OData, not SQL: {@code eq}/{@code ne} compare null as a value
 * ({@code null eq null} is true) and every other predicate is false on null, so {@code not} never
 * turns an unknown into a match.
 */
final class ODataExpressionSql {
    private static final Set<EdmPrimitiveTypeKind> NUMBERS = EnumSet.of(EdmPrimitiveTypeKind.Byte, EdmPrimitiveTypeKind.SByte,
            EdmPrimitiveTypeKind.Int16, EdmPrimitiveTypeKind.Int32, EdmPrimitiveTypeKind.Int64, EdmPrimitiveTypeKind.Decimal,
            EdmPrimitiveTypeKind.Double, EdmPrimitiveTypeKind.Single);
    private static final Set<EdmPrimitiveTypeKind> INTEGERS = EnumSet.of(EdmPrimitiveTypeKind.Byte, EdmPrimitiveTypeKind.SByte,
            EdmPrimitiveTypeKind.Int16, EdmPrimitiveTypeKind.Int32, EdmPrimitiveTypeKind.Int64);

    private final ODataRelation relation;
    private final String alias;
    private final Map<String, Object> parameters;
    private final String prefix;
    private int nextParameter;

    /**
     * @param alias the SQL alias of the relation in the statement
     * @param parameters where literals are bound; shared with the rest of the statement
     * @param prefix parameter name prefix, unique within the statement
     */
    ODataExpressionSql(ODataRelation relation, String alias, Map<String, Object> parameters, String prefix) {
        this.relation = requireNonNull(relation, "relation is null");
        this.alias = requireNonNull(alias, "alias is null");
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    private enum Kind {
        BOOLEAN,
        VALUE,
        NULL
    }

    /** A translated expression: its SQL, whether it is a predicate, and its EDM type when known. */
    private record Sql(String text, Kind kind, EdmPrimitiveTypeKind type) {}

    /** A predicate that is true or false, never null. */
    String condition(Expression expression) throws ODataApplicationException {
        return asCondition(translate(expression));
    }

    /** A value to sort by. */
    String value(Expression expression) throws ODataApplicationException {
        Sql sql = translate(expression);
        return sql.kind() == Kind.NULL ? "NULL" : sql.text();
    }

    private String asCondition(Sql sql) throws ODataApplicationException {
        return switch (sql.kind()) {
            case BOOLEAN -> sql.text();
            case NULL -> "FALSE";
            case VALUE -> {
                if (sql.type() != EdmPrimitiveTypeKind.Boolean) {
                    throw ODataErrors.badRequest("the filter is not a condition: it has type " + sql.type());
                }
                yield "coalesce(" + sql.text() + ", FALSE)";
            }
        };
    }

    private Sql translate(Expression expression) throws ODataApplicationException {
        if (expression instanceof Literal literal) {
            return literal(literal);
        }
        if (expression instanceof Member member) {
            return member(member);
        }
        if (expression instanceof Unary unary) {
            return unary(unary);
        }
        if (expression instanceof Binary binary) {
            return binary(binary);
        }
        if (expression instanceof Method method) {
            return method(method);
        }
        throw ODataErrors.notImplemented("this expression is not supported in a FinHub filter: " + expression);
    }

    private Sql member(Member member) throws ODataApplicationException {
        List<UriResource> path = member.getResourcePath().getUriResourceParts();
        if (path.size() != 1 || !(path.get(0) instanceof UriResourcePrimitiveProperty primitive) || member.isCollection()) {
            throw ODataErrors.notImplemented("only properties of the entity set itself can be filtered and sorted on");
        }
        EdmProperty property = primitive.getProperty();
        OptionalInt index = relation.indexOf(property.getName());
        if (index.isEmpty()) {
            throw ODataErrors.badRequest("unknown property " + property.getName());
        }
        return new Sql(alias + "." + ODataRelation.column(index.getAsInt()), Kind.VALUE, relation.columns().get(index.getAsInt()).kind());
    }

    private Sql literal(Literal literal) throws ODataApplicationException {
        EdmType type = literal.getType();
        String text = literal.getText();
        if (type == null && "null".equals(text)) {
            return new Sql("NULL", Kind.NULL, null);
        }
        if (!(type instanceof EdmPrimitiveType primitive)) {
            throw ODataErrors.notImplemented("literals of type " + type + " are not supported");
        }
        EdmPrimitiveTypeKind kind = EdmPrimitiveTypeKind.valueOfFQN(primitive.getFullQualifiedName());
        Object value = switch (kind) {
            case String -> unquote(text);
            case Boolean -> Boolean.parseBoolean(text);
            case Byte, SByte, Int16, Int32, Int64 -> Long.parseLong(text);
            case Decimal, Double, Single -> decimal(text);
            case Date -> LocalDate.parse(text);
            case DateTimeOffset -> dateTime(text);
            default -> throw ODataErrors.notImplemented("literals of type Edm." + kind + " are not supported");
        };
        return new Sql(bind(value), Kind.VALUE, kind);
    }

    private static String unquote(String text) {
        if (text.length() < 2 || !text.startsWith("'") || !text.endsWith("'")) {
            return text;
        }
        return text.substring(1, text.length() - 1).replace("''", "'");
    }

    private static BigDecimal decimal(String text) throws ODataApplicationException {
        try {
            return new BigDecimal(text);
        }
        catch (NumberFormatException e) {
            throw ODataErrors.notImplemented("the number " + text + " is not supported (INF and NaN have no exact decimal)");
        }
    }

    private static java.time.LocalDateTime dateTime(String text) throws ODataApplicationException {
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        catch (DateTimeParseException e) {
            throw ODataErrors.badRequest("invalid date-time " + text);
        }
    }

    private String bind(Object value) {
        String name = prefix + nextParameter++;
        parameters.put(name, value);
        return ":" + name;
    }

    private Sql unary(Unary unary) throws ODataApplicationException {
        Sql operand = translate(unary.getOperand());
        if (unary.getOperator() == UnaryOperatorKind.NOT) {
            return new Sql("(NOT " + asCondition(operand) + ")", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
        }
        requireNumber(operand, "-");
        return new Sql("(-" + operand.text() + ")", Kind.VALUE, operand.type());
    }

    private Sql binary(Binary binary) throws ODataApplicationException {
        BinaryOperatorKind operator = binary.getOperator();
        if (operator == BinaryOperatorKind.IN) {
            return in(binary);
        }
        Sql left = translate(binary.getLeftOperand());
        Sql right = translate(binary.getRightOperand());
        return switch (operator) {
            case AND -> new Sql("(" + asCondition(left) + " AND " + asCondition(right) + ")", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
            case OR -> new Sql("(" + asCondition(left) + " OR " + asCondition(right) + ")", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
            case EQ -> equality(left, right, true);
            case NE -> equality(left, right, false);
            case GT -> comparison(left, ">", right);
            case GE -> comparison(left, ">=", right);
            case LT -> comparison(left, "<", right);
            case LE -> comparison(left, "<=", right);
            case ADD -> arithmetic(left, "+", right);
            case SUB -> arithmetic(left, "-", right);
            default -> throw ODataErrors.notImplemented("the operator " + operator.toString().toLowerCase() + " is not supported in FinHub filters"
                    + " (division and multiplication would leave exact decimals)");
        };
    }

    private static Sql equality(Sql left, Sql right, boolean equal) {
        if (left.kind() == Kind.NULL && right.kind() == Kind.NULL) {
            return new Sql(equal ? "TRUE" : "FALSE", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
        }
        if (left.kind() == Kind.NULL || right.kind() == Kind.NULL) {
            String operand = left.kind() == Kind.NULL ? right.text() : left.text();
            return new Sql("(" + operand + (equal ? " IS NULL)" : " IS NOT NULL)"), Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
        }
        return new Sql("(" + left.text() + (equal ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") + right.text() + ")", Kind.BOOLEAN,
                EdmPrimitiveTypeKind.Boolean);
    }

    private static Sql comparison(Sql left, String operator, Sql right) {
        if (left.kind() == Kind.NULL || right.kind() == Kind.NULL) {
            return new Sql("FALSE", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
        }
        return new Sql("coalesce(" + left.text() + " " + operator + " " + right.text() + ", FALSE)", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
    }

    private static Sql arithmetic(Sql left, String operator, Sql right) throws ODataApplicationException {
        requireNumber(left, operator);
        requireNumber(right, operator);
        EdmPrimitiveTypeKind type = left.type() == EdmPrimitiveTypeKind.Decimal || right.type() == EdmPrimitiveTypeKind.Decimal
                ? EdmPrimitiveTypeKind.Decimal
                : left.type();
        return new Sql("(" + left.text() + " " + operator + " " + right.text() + ")", Kind.VALUE, type);
    }

    private static void requireNumber(Sql operand, String operator) throws ODataApplicationException {
        if (operand.kind() != Kind.VALUE || !NUMBERS.contains(operand.type())) {
            throw ODataErrors.notImplemented("'" + operator + "' is supported on numbers only");
        }
    }

    private Sql in(Binary binary) throws ODataApplicationException {
        Sql left = translate(binary.getLeftOperand());
        StringJoiner any = new StringJoiner(" OR ", "(", ")");
        any.setEmptyValue("FALSE");
        for (Expression candidate : binary.getExpressions()) {
            any.add(equality(left, translate(candidate), true).text());
        }
        return new Sql(any.toString(), Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
    }

    private Sql method(Method method) throws ODataApplicationException {
        List<Sql> arguments = new ArrayList<>();
        for (Expression parameter : method.getParameters()) {
            arguments.add(translate(parameter));
        }
        return switch (method.getMethod()) {
            case CONTAINS -> predicate("contains", arguments);
            case STARTSWITH -> predicate("starts_with", arguments);
            case ENDSWITH -> predicate("ends_with", arguments);
            case TOLOWER -> function("lower", arguments, EdmPrimitiveTypeKind.String);
            case TOUPPER -> function("upper", arguments, EdmPrimitiveTypeKind.String);
            case TRIM -> function("trim", arguments, EdmPrimitiveTypeKind.String);
            case LENGTH -> function("length", arguments, EdmPrimitiveTypeKind.Int32);
            case CONCAT -> new Sql("(" + text(arguments.get(0)) + " || " + text(arguments.get(1)) + ")", Kind.VALUE, EdmPrimitiveTypeKind.String);
            case INDEXOF -> new Sql("(strpos(" + text(arguments.get(0)) + ", " + text(arguments.get(1)) + ") - 1)", Kind.VALUE,
                    EdmPrimitiveTypeKind.Int32);
            case SUBSTRING -> substring(arguments);
            case YEAR -> function("year", arguments, EdmPrimitiveTypeKind.Int32);
            case MONTH -> function("month", arguments, EdmPrimitiveTypeKind.Int32);
            case DAY -> function("day", arguments, EdmPrimitiveTypeKind.Int32);
            case HOUR -> function("hour", arguments, EdmPrimitiveTypeKind.Int32);
            case MINUTE -> function("minute", arguments, EdmPrimitiveTypeKind.Int32);
            case SECOND -> function("second", arguments, EdmPrimitiveTypeKind.Int32);
            default -> throw ODataErrors.notImplemented("the function " + method.getMethod() + " is not supported in FinHub filters");
        };
    }

    private static String text(Sql sql) {
        return sql.kind() == Kind.NULL ? "NULL" : sql.text();
    }

    private static Sql predicate(String function, List<Sql> arguments) {
        if (arguments.stream().anyMatch(argument -> argument.kind() == Kind.NULL)) {
            return new Sql("FALSE", Kind.BOOLEAN, EdmPrimitiveTypeKind.Boolean);
        }
        return new Sql("coalesce(%s(%s, %s), FALSE)".formatted(function, arguments.get(0).text(), arguments.get(1).text()), Kind.BOOLEAN,
                EdmPrimitiveTypeKind.Boolean);
    }

    private static Sql function(String function, List<Sql> arguments, EdmPrimitiveTypeKind type) {
        StringJoiner joined = new StringJoiner(", ", function + "(", ")");
        arguments.forEach(argument -> joined.add(text(argument)));
        return new Sql(joined.toString(), Kind.VALUE, type);
    }

    private static Sql substring(List<Sql> arguments) throws ODataApplicationException {
        for (Sql position : arguments.subList(1, arguments.size())) {
            if (position.kind() != Kind.VALUE || !INTEGERS.contains(position.type())) {
                throw ODataErrors.notImplemented("substring takes integer positions");
            }
        }
        String start = "(" + arguments.get(1).text() + " + 1)";
        String call = arguments.size() == 2
                ? "substring(%s, %s)".formatted(text(arguments.get(0)), start)
                : "substring(%s, %s, %s)".formatted(text(arguments.get(0)), start, arguments.get(2).text());
        return new Sql(call, Kind.VALUE, EdmPrimitiveTypeKind.String);
    }
}
