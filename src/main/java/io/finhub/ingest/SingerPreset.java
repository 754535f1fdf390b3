package io.finhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.support.ClasspathResources;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the streams of one Singer tap map to FinHub datasets: stream and field to dataset and column.
 * Presets ship in {@code ingest/singer/NAME.json}; a company can write its own in the same shape
 * (see {@code schema/datasets.md}).
 *
 * <p>A column is mapped by a field path ({@code "CloseDate"}, {@code "properties.amount"},
 * {@code "companies.0"}; with {@code "each"}, {@code "line.Amount"} reads the current line), or an
 * object with {@code field} (one path or a list: the first with a value), {@code const},
 * {@code template} ({@code "{Id}-{line.Id}"}), {@code debit}/{@code credit} paths, {@code transform}
 * ({@code date}, {@code epoch_millis}, {@code slug}), {@code negate_when} ({@code {"path": "value"}}), {@code map}
 * (source value to FinHub value) and {@code default}. {@code ${name}} in a constant or default is a
 * preset parameter. A stream with {@code "gl_lines": true} holds journal lines with debit-positive
 * amounts: lines on accounts outside {@code dim_gl_account} (balance-sheet accounts) are skipped and
 * amounts on REVENUE accounts are negated, so revenue earned and cost incurred are both positive.
 */
public final class SingerPreset {
    private static final String LOCATION = "ingest/singer";
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{(\\w+)}");
    private static final Pattern TEMPLATE_FIELD = Pattern.compile("\\{([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A placeholder the preset needs a value for. */
    public record Parameter(String name, String description, Optional<String> defaultValue) {}

    /** How one stream's records become rows of one dataset. */
    record StreamMapping(String stream, String dataset, Optional<IngestMode> mode, Optional<String> each, Map<String, List<String>> where,
            boolean glLines, Map<String, JsonNode> columns) {}

    private final String name;
    private final String title;
    private final Map<String, Parameter> parameters;
    private final Map<String, StreamMapping> streams;

    private SingerPreset(String name, String title, Map<String, Parameter> parameters, Map<String, StreamMapping> streams) {
        this.name = name;
        this.title = title;
        this.parameters = parameters;
        this.streams = streams;
    }

    /** A preset shipped with FinHub, e.g. {@code salesforce}. */
    public static SingerPreset named(String name) {
        Map<String, String> shipped = ClasspathResources.readAll(LOCATION, ".json");
        String text = shipped.get(name + ".json");
        if (text == null || !name.matches("[a-z0-9_]+")) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "no Singer preset '%s'; presets are: %s".formatted(name, String.join(", ", names())));
        }
        return parse(text);
    }

    /** A company's own preset file. */
    public static SingerPreset fromFile(Path file) {
        try {
            return parse(Files.readString(file));
        }
        catch (IOException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "cannot read preset file " + file + ": " + e.getMessage());
        }
    }

    public static List<String> names() {
        return ClasspathResources.readAll(LOCATION, ".json").keySet().stream().map(file -> file.substring(0, file.length() - ".json".length())).toList();
    }

    public String name() {
        return name;
    }

    public String title() {
        return title;
    }

    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** Stream name to the dataset its records go to. */
    public Map<String, String> streamDatasets() {
        Map<String, String> datasets = new LinkedHashMap<>();
        streams.forEach((stream, mapping) -> datasets.put(stream, mapping.dataset()));
        return datasets;
    }

    Optional<StreamMapping> stream(String stream) {
        return Optional.ofNullable(streams.get(stream));
    }

    static SingerPreset parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        }
        catch (IOException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the preset is not JSON: " + e.getMessage());
        }
        String name = required(root, "name").asText();
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        root.path("parameters").properties().forEach(entry -> parameters.put(entry.getKey(), new Parameter(entry.getKey(),
                entry.getValue().path("description").asText(""), Optional.ofNullable(entry.getValue().get("default")).filter(node -> !node.isNull())
                        .map(JsonNode::asText))));
        Map<String, StreamMapping> streams = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : required(root, "streams").properties()) {
            streams.put(entry.getKey(), mapping(entry.getKey(), entry.getValue()));
        }
        return new SingerPreset(name, root.path("title").asText(name), parameters, streams);
    }

    private static StreamMapping mapping(String stream, JsonNode node) {
        Optional<IngestMode> mode = Optional.ofNullable(node.get("mode")).map(value -> IngestMode.parse(value.asText()));
        if (mode.filter(value -> value == IngestMode.REPLACE).isPresent()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "stream " + stream + ": a Singer preset maps to append or upsert, not replace");
        }
        Map<String, List<String>> where = new LinkedHashMap<>();
        node.path("where").properties().forEach(entry -> where.put(entry.getKey(), texts(entry.getValue())));
        Map<String, JsonNode> columns = new LinkedHashMap<>();
        required(node, "columns").properties().forEach(entry -> columns.put(entry.getKey(), entry.getValue()));
        return new StreamMapping(stream, required(node, "dataset").asText(), mode, Optional.ofNullable(node.get("each")).map(JsonNode::asText), where,
                node.path("gl_lines").asBoolean(false), columns);
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        }
        else {
            values.add(node.asText());
        }
        return values;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the preset has no '" + field + "'");
        }
        return value;
    }

    // Mapping a record -------------------------------------------------------------------------

    /** The value of a field path in the record, or in the current line for paths starting with {@code line.}; null when absent. */
    static String text(JsonNode record, JsonNode line, String path) {
        JsonNode node = path.startsWith("line.") && line != null ? line : record;
        String remaining = path.startsWith("line.") && line != null ? path.substring("line.".length()) : path;
        for (String segment : remaining.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.isArray() && segment.matches("\\d+") ? node.get(Integer.parseInt(segment)) : node.get(segment);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    boolean matches(StreamMapping mapping, JsonNode record) {
        for (Map.Entry<String, List<String>> condition : mapping.where().entrySet()) {
            if (!condition.getValue().contains(text(record, null, condition.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The lines a record expands to: the elements at {@code each}, or the record itself. */
    static List<JsonNode> lines(StreamMapping mapping, JsonNode record) {
        if (mapping.each().isEmpty()) {
            return Collections.singletonList(null);
        }
        JsonNode node = record;
        for (String segment : mapping.each().get().split("\\.")) {
            node = node == null ? null : node.get(segment);
        }
        List<JsonNode> lines = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(lines::add);
        }
        return lines;
    }

    /** The value of one dataset column for one record (and line). */
    String value(JsonNode spec, JsonNode record, JsonNode line, Map<String, String> given) {
        if (spec.isTextual()) {
            return text(record, line, spec.asText());
        }
        String value;
        if (spec.has("const")) {
            value = spec.get("const").isNull() ? null : substitute(spec.get("const").asText(), given);
        }
        else if (spec.has("template")) {
            value = template(spec.get("template").asText(), record, line);
        }
        else if (spec.has("debit") || spec.has("credit")) {
            value = debitMinusCredit(spec, record, line);
        }
        else {
            value = first(spec.get("field"), record, line);
        }
        value = transform(spec.path("transform").asText(""), value);
        value = negate(spec.get("negate_when"), record, line, value);
        if (value != null && spec.has("map") && spec.get("map").has(value)) {
            JsonNode mapped = spec.get("map").get(value);
            value = mapped.isNull() ? null : mapped.asText();
        }
        if (value == null && spec.has("default") && !spec.get("default").isNull()) {
            value = substitute(spec.get("default").asText(), given);
        }
        return value;
    }

    private static String first(JsonNode paths, JsonNode record, JsonNode line) {
        if (paths == null) {
            return null;
        }
        for (String path : texts(paths)) {
            String value = text(record, line, path);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String template(String template, JsonNode record, JsonNode line) {
        Matcher matcher = TEMPLATE_FIELD.matcher(template);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = text(record, line, matcher.group(1));
            if (value == null) {
                return null;
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String debitMinusCredit(JsonNode spec, JsonNode record, JsonNode line) {
        String debit = spec.has("debit") ? text(record, line, spec.get("debit").asText()) : null;
        String credit = spec.has("credit") ? text(record, line, spec.get("credit").asText()) : null;
        if (debit == null && credit == null) {
            return null;
        }
        try {
            BigDecimal amount = (debit == null ? BigDecimal.ZERO : new BigDecimal(debit)).subtract(credit == null ? BigDecimal.ZERO : new BigDecimal(credit));
            return amount.toPlainString();
        }
        catch (NumberFormatException e) {
            return debit == null ? credit : debit;
        }
    }

    private static String transform(String transform, String value) {
        if (value == null) {
            return null;
        }
        return switch (transform) {
            case "" -> value;
            case "date" -> value.length() >= 10 && value.substring(0, 10).matches("\\d{4}-\\d{2}-\\d{2}") ? value.substring(0, 10) : value;
            case "epoch_millis" -> value.matches("-?\\d+") ? Instant.ofEpochMilli(Long.parseLong(value)).toString() : value;
            case "slug" -> value.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
            default -> throw new FinhubException(ErrorCode.BAD_REQUEST, "unknown transform '" + transform + "': use date, epoch_millis or slug");
        };
    }

    private static String negate(JsonNode condition, JsonNode record, JsonNode line, String value) {
        if (condition == null || value == null) {
            return value;
        }
        for (Map.Entry<String, JsonNode> entry : condition.properties()) {
            if (!entry.getValue().asText().equals(text(record, line, entry.getKey()))) {
                return value;
            }
        }
        try {
            return new BigDecimal(value).negate().toPlainString();
        }
        catch (NumberFormatException e) {
            return value;
        }
    }

    private String substitute(String text, Map<String, String> given) {
        Matcher matcher = PARAMETER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String parameter = matcher.group(1);
            String value = given.get(parameter);
            if (value == null) {
                value = Optional.ofNullable(parameters.get(parameter)).flatMap(Parameter::defaultValue).orElseThrow(() -> new FinhubException(
                        ErrorCode.BAD_REQUEST, "preset %s needs --param %s=VALUE (%s)".formatted(name, parameter,
                                Optional.ofNullable(parameters.get(parameter)).map(Parameter::description).orElse("undeclared parameter"))));
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
