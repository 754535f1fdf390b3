package io.finhub.odata;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;
import org.apache.olingo.server.api.ODataApplicationException;

/**
 * Where the next page of a server-paged response starts: how many rows of the request were
 * delivered, the data version they were read at, and, in row order, the number of the last row
 * delivered (so the next page reads on from it instead of skipping rows again). Opaque to clients;
 * decoded strictly, and its numbers are only ever bound as parameters.
 */
record ODataSkipToken(long delivered, long dataVersion, OptionalLong lastRow) {
    private static final String VERSION = "2";
    private static final String SEPARATOR = "~";

    ODataSkipToken {
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered is negative");
        }
    }

    static ODataSkipToken start(long dataVersion) {
        return new ODataSkipToken(0, dataVersion, OptionalLong.empty());
    }

    String encode() {
        String text = String.join(SEPARATOR, VERSION, Long.toString(delivered), Long.toString(dataVersion),
                lastRow.isPresent() ? Long.toString(lastRow.getAsLong()) : "");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static ODataSkipToken decode(String token) throws ODataApplicationException {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(SEPARATOR, -1);
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            long delivered = Long.parseLong(parts[1]);
            long dataVersion = Long.parseLong(parts[2]);
            OptionalLong lastRow = parts[3].isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(parts[3]));
            if (delivered < 0) {
                throw invalid();
            }
            return new ODataSkipToken(delivered, dataVersion, lastRow);
        }
        catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ODataApplicationException invalid() {
        return ODataErrors.badRequest("invalid $skiptoken: follow @odata.nextLink as it is");
    }
}
