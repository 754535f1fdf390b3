package io.finhub.realization;

import static java.util.Objects.requireNonNull;

/**
 * What a certification or a forecast adjustment rests on.
 *
 * @param kind e.g. QBR_DECK, USAGE_EXPORT, CUSTOMER_SIGN_OFF, EMAIL
 * @param reference where to find it: a URL, a document id
 */
public record Evidence(String kind, String reference, String description) {
    public Evidence {
        requireNonNull(kind, "kind is null");
        requireNonNull(reference, "reference is null");
    }
}
