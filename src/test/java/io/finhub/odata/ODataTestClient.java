package io.finhub.odata;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.olingo.client.api.ODataClient;
import org.apache.olingo.client.api.communication.request.retrieve.ODataEntitySetRequest;
import org.apache.olingo.client.api.domain.ClientEntity;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.apache.olingo.client.api.domain.ClientProperty;
import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.commons.api.format.ContentType;

/**
 * Reads the feed the way a BI tool does: Olingo's metadata-aware OData client for entity sets and
 * metadata (it reads {@code $metadata} first and types every value by it; decimals travel as strings,
 * {@code IEEE754Compatible=true}, so they arrive exact),
 * plain HTTP for CSV and error responses.
 */
final class ODataTestClient {
    private final String root;
    private final ODataClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    ODataTestClient(int port) {
        this.root = "http://127.0.0.1:" + port + "/odata";
        this.client = ODataClientFactory.getEdmEnabledClient(root);
        // Decimals as JSON strings, exact: a JSON number would pass through a double on the way in.
        client.getConfiguration().setDefaultPubFormat(ContentType.create(ContentType.JSON, ContentType.PARAMETER_IEEE754_COMPATIBLE, "true"));
    }

    String root() {
        return root;
    }

    ODataClient client() {
        return client;
    }

    /** A URL of the feed: {@code path} and query options, each value percent-encoded. */
    URI uri(String path, String... options) {
        StringBuilder uri = new StringBuilder(root).append('/').append(path);
        for (int index = 0; index < options.length; index += 2) {
            uri.append(index == 0 ? '?' : '&').append(options[index]).append('=').append(encode(options[index + 1]));
        }
        return URI.create(uri.toString());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    ClientEntitySet page(URI uri) {
        return page(uri, 0);
    }

    /** One page, asking for {@code maxPageSize} rows per page when positive. */
    ClientEntitySet page(URI uri, int maxPageSize) {
        ODataEntitySetRequest<ClientEntitySet> request = client.getRetrieveRequestFactory().getEntitySetRequest(uri);
        if (maxPageSize > 0) {
            request.setPrefer("odata.maxpagesize=" + maxPageSize);
        }
        return request.execute().getBody();
    }

    /** Every row, following {@code @odata.nextLink} from page to page; {@code pages} counts the pages read. */
    List<Map<String, Object>> all(URI uri, int maxPageSize, int[] pages) {
        List<Map<String, Object>> rows = new ArrayList<>();
        URI next = uri;
        while (next != null) {
            ClientEntitySet page = page(next, maxPageSize);
            page.getEntities().forEach(entity -> rows.add(values(entity)));
            pages[0]++;
            next = page.getNext();
        }
        return rows;
    }

    List<Map<String, Object>> rows(URI uri) {
        return page(uri).getEntities().stream().map(ODataTestClient::values).toList();
    }

    /** Property name to value: decimals as BigDecimal, everything else as its OData text. */
    static Map<String, Object> values(ClientEntity entity) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ClientProperty property : entity.getProperties()) {
            values.put(property.getName(), value(property));
        }
        return values;
    }

    private static Object value(ClientProperty property) {
        if (property.hasNullValue() || property.getPrimitiveValue() == null || property.getPrimitiveValue().toValue() == null) {
            return null;
        }
        Object value = property.getPrimitiveValue().toValue();
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        return property.getPrimitiveValue().toString();
    }

    /** The raw bytes of a GET, as sent (this client does not decompress). */
    HttpResponse<byte[]> getBytes(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        for (int index = 0; index < headers.length; index += 2) {
            request.header(headers[index], headers[index + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        for (int index = 0; index < headers.length; index += 2) {
            request.header(headers[index], headers[index + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
