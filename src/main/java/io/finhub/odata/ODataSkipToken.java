package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.olingo.server.api.ODataApplicationException;

/**
 * Where the next page of a server-paged response starts: how many rows of the request were
 * delivered, the data version they were read at, and, when paging a table in key order, the key of
 * the last row (keyset paging, so a page costs the same however deep it is). Opaque to clients;
 * decoded strictly, and its values are only ever bound as parameters.
 */
record ODataSkipToken(long delivered, long dataVersion, Optional<List<String>> lastKey) {
    private static final String VERSION = "1";
    private static final String SEPARATOR = "~";

    ODataSkipToken {
        requireNonNull(lastKey, "lastKey is null");
        lastKey = lastKey.map(List::copyOf);
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered is negative");
        }
    }

    static ODataSkipToken start(long dataVersion) {
        return new ODataSkipToken(0, dataVersion, Optional.empty());
    }

    String encode() {
        List<String> parts = new ArrayList<>(List.of(VERSION, Long.toString(delivered), Long.toString(dataVersion)));
        lastKey.ifPresent(key -> key.forEach(value -> parts.add(base64(value))));
        return base64(String.join(SEPARATOR, parts));
    }

    static ODataSkipToken decode(String token) throws ODataApplicationException {
        try {
            String[] parts = unbase64(token).split(SEPARATOR, -1);
            if (parts.length < 3 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            long delivered = Long.parseLong(parts[1]);
            long dataVersion = Long.parseLong(parts[2]);
            if (delivered < 0) {
                throw invalid();
            }
            Optional<List<String>> key = Optional.empty();
            if (parts.length > 3) {
                List<String> values = new ArrayList<>();
                for (int index = 3; index < parts.length; index++) {
                    values.add(unbase64(parts[index]));
                }
                key = Optional.of(values);
            }
            return new ODataSkipToken(delivered, dataVersion, key);
        }
        catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ODataApplicationException invalid() {
        return ODataErrors.badRequest("invalid $skiptoken: follow @odata.nextLink as it is");
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String text) {
        return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
