package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A question for the attribution engine: which models, grouped how, for conversions in which
 * period (both ends inclusive) and of which deal types (all when empty).
 */
public record AttributionQuery(List<AttributionModel> models, AttributionGrouping grouping, Optional<LocalDate> from, Optional<LocalDate> to,
        List<String> dealTypes, AttributionSettings settings) {
    public AttributionQuery {
        models = List.copyOf(requireNonNull(models, "models is null"));
        requireNonNull(grouping, "grouping is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        dealTypes = List.copyOf(requireNonNull(dealTypes, "dealTypes is null"));
        requireNonNull(settings, "settings is null");
        if (models.isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "ask for at least one attribution model");
        }
        if (models.stream().distinct().count() != models.size()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "a model is listed twice: " + models);
        }
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "the period starts (%s) after it ends (%s)".formatted(from.get(), to.get()));
        }
    }

    public static AttributionQuery of(List<AttributionModel> models, AttributionGrouping grouping, AttributionSettings settings) {
        return new AttributionQuery(models, grouping, Optional.empty(), Optional.empty(), List.of(), settings);
    }

    public AttributionQuery withRange(LocalDate first, LocalDate last) {
        return new AttributionQuery(models, grouping, Optional.ofNullable(first), Optional.ofNullable(last), dealTypes, settings);
    }

    public AttributionQuery withDealTypes(List<String> types) {
        return new AttributionQuery(models, grouping, from, to, types, settings);
    }
}
