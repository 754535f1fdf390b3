package io.finhub.attribution.api;

import io.finhub.attribution.AttributionCsOutcomeInput;
import io.finhub.attribution.AttributionCsOutcomeType;
import io.finhub.attribution.AttributionModel;
import io.finhub.attribution.AttributionSettings;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns GraphQL arguments and JSON bodies into the attribution domain's inputs. Both arrive as maps;
 * GraphQL has already typed dates and decimals, JSON has strings and numbers, so each reader takes
 * either. A wrong shape is the client's error and names the field.
 */
final class AttributionInputs {
    private AttributionInputs() {}

    static List<AttributionModel> models(Object value) {
        List<AttributionModel> models = new ArrayList<>();
        for (Object name : list(value, "models")) {
            models.add(enumValue(AttributionModel.class, name, "models"));
        }
        return models;
    }

    static AttributionSettings settings(AttributionSettings configured, Object lookbackDays, Object halfLifeDays) {
        AttributionSettings settings = configured;
        if (lookbackDays != null) {
            settings = settings.withLookbackDays(((Number) lookbackDays).intValue());
        }
        if (halfLifeDays != null) {
            settings = settings.withHalfLifeDays(decimal(halfLifeDays, "halfLifeDays"));
        }
        return settings;
    }

    @SuppressWarnings("unchecked")
    static AttributionCsOutcomeInput outcome(Object value) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the outcome must be a JSON object");
        }
        Map<String, Object> input = (Map<String, Object>) raw;
        List<AttributionCsOutcomeInput.Allocation> allocations = new ArrayList<>();
        for (Object item : list(input.get("allocations"), "allocations")) {
            if (!(item instanceof Map<?, ?> allocation)) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "every allocation must be an object");
            }
            allocations.add(new AttributionCsOutcomeInput.Allocation(required(allocation.get("programId"), "allocations.programId").toString(),
                    allocation.get("activityId") == null ? null : allocation.get("activityId").toString(),
                    decimal(required(allocation.get("share"), "allocations.share"), "allocations.share"),
                    required(allocation.get("evidence"), "allocations.evidence").toString()));
        }
        return new AttributionCsOutcomeInput(
                enumValue(AttributionCsOutcomeType.class, required(input.get("outcomeType"), "outcomeType"), "outcomeType"),
                decimal(required(input.get("amount"), "amount"), "amount"),
                required(input.get("currency"), "currency").toString(),
                date(required(input.get("outcomeDate"), "outcomeDate"), "outcomeDate"),
                input.get("reference") == null ? null : input.get("reference").toString(),
                input.get("note") == null ? null : input.get("note").toString(),
                allocations);
    }

    static List<?> list(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'%s' must be a list".formatted(field));
        }
        return list;
    }

    static Object required(Object value, String field) {
        if (value == null) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'%s' is required".formatted(field));
        }
        return value;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String field) {
        try {
            return Enum.valueOf(type, String.valueOf(value).toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'%s' is not a valid %s".formatted(value, field));
        }
    }

    static BigDecimal decimal(Object value, String field) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        try {
            return new BigDecimal(value.toString());
        }
        catch (NumberFormatException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'%s' must be a decimal number, was '%s'".formatted(field, value));
        }
    }

    static LocalDate date(Object value, String field) {
        if (value instanceof LocalDate date) {
            return date;
        }
        try {
            return LocalDate.parse(value.toString());
        }
        catch (DateTimeParseException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "'%s' must be a date like 2025-03-31, was '%s'".formatted(field, value));
        }
    }
}
