package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.catalog.MetricsService;
import io.finhub.http.HttpModule;
import io.finhub.odata.ODataAccess.Decision;
import io.finhub.realization.RealizationService;
import io.finhub.revenue.RevenueQueries;
import io.finhub.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataHttpHandler;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.serializer.CustomContentTypeSupport;
import org.apache.olingo.server.api.serializer.RepresentationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OData v4 feed for Tableau, Power BI and Excel at {@code /odata}, inside the one FinHub
 * server: Apache Olingo speaks the protocol ({@code $metadata}, the service document, query options,
 * content negotiation, errors) over Javalin's servlet request and response; FinHub supplies the
 * entity sets, generated from the same catalog as GraphQL, and turns every query option into SQL
 * with bound parameters. {@code /odata/{EntitySet}.csv} (or {@code $format=text/csv}) downloads a
 * whole set as CSV.
 *
 * <p>Access is checked in one place, {@link ODataAccess}, before anything is parsed.
 */
public final class ODataModule implements HttpModule {
    public static final String PATH = "/odata";
    private static final Logger LOG = LoggerFactory.getLogger(ODataModule.class);
    private static final Pattern CSV_PATH = Pattern.compile(Pattern.quote(PATH) + "/([A-Za-z][A-Za-z0-9]*)\\.csv");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows as JSON or CSV; Atom/XML is left out for rows, as Tableau and Power BI read JSON (and $metadata as XML). */
    private static final CustomContentTypeSupport CONTENT_TYPES = (defaults, type) -> {
        if (type != RepresentationType.COLLECTION_ENTITY) {
            return defaults;
        }
        List<ContentType> supported = new ArrayList<>(defaults.stream()
                .filter(contentType -> contentType.isCompatible(ContentType.APPLICATION_JSON))
                .toList());
        supported.add(ODataCollectionProcessor.CSV);
        return supported;
    };

    private final OData odata = OData.newInstance();
    private final Store store;
    private final ODataEntitySets sets;
    private final ServiceMetadata metadata;
    private final ODataAccess access;
    private final ODataPaging paging;

    public ODataModule(Store store, MetricsService metrics, RevenueQueries revenue, RealizationService realization, ODataAccess access) {
        this(store, ODataEntitySets.create(store, metrics, revenue, realization), access, ODataPaging.DEFAULTS);
    }

    /** The feed with every view, the renewal forecast by contract included. */
    public ODataModule(Store store, MetricsService metrics, RevenueQueries revenue, RealizationService realization,
            io.finhub.forecast.ForecastService forecasts, ODataAccess access) {
        this(store, ODataEntitySets.create(store, metrics, revenue, realization, Optional.of(forecasts)), access, ODataPaging.DEFAULTS);
    }

    ODataModule(Store store, ODataEntitySets sets, ODataAccess access, ODataPaging paging) {
        this.store = requireNonNull(store, "store is null");
        this.sets = requireNonNull(sets, "sets is null");
        this.access = requireNonNull(access, "access is null");
        this.paging = requireNonNull(paging, "paging is null");
        this.metadata = odata.createServiceMetadata(new ODataEdmProvider(sets), ODataEdmProvider.references());
    }

    @Override
    public void routes(Javalin app) {
        app.get(PATH, this::handle);
        app.get(PATH + "/" + ODataEdmProvider.VOCABULARIES + "{file}", this::vocabulary);
        app.get(PATH + "/<path>", this::handle);
    }

    private void handle(Context context) {
        Decision decision = access.check(context.req());
        if (!decision.allowed()) {
            deny(context, decision);
            return;
        }
        ODataHttpHandler handler = odata.createHandler(metadata);
        handler.setSplit(1);
        handler.register(CONTENT_TYPES);
        handler.register(new ODataCollectionProcessor(sets, store, paging));
        handler.register(new ODataEntityRequests());
        try {
            handler.process(csvRequest(plusAsSpace(context.req())), context.res());
        }
        catch (RuntimeException e) {
            // The status and part of the body are already sent: all that is left is to log it.
            LOG.error("OData response failed while streaming {}", context.req().getRequestURI(), e);
        }
    }

    private void vocabulary(Context context) {
        Decision decision = access.check(context.req());
        if (!decision.allowed()) {
            deny(context, decision);
            return;
        }
        ODataEdmProvider.vocabulary(context.pathParam("file")).ifPresentOrElse(
                xml -> context.contentType("application/xml; charset=utf-8").result(xml),
                () -> context.status(404).contentType("application/json; charset=utf-8")
                        .result("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such vocabulary\"}}"));
    }

    private static void deny(Context context, Decision decision) {
        decision.challenge().ifPresent(challenge -> context.header("WWW-Authenticate", challenge));
        String code = decision.status() == 401 ? "UNAUTHENTICATED" : "FORBIDDEN";
        try {
            context.status(decision.status()).contentType("application/json; charset=utf-8")
                    .result(JSON.writeValueAsString(Map.of("error", Map.of("code", code, "message", decision.message()))));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code /odata/Set.csv?...} is {@code /odata/Set?...&$format=text/csv}. */
    /**
     * The request with a {@code +} in its query string read as a space, as HTML forms and {@code curl --data-urlencode}
     * encode it; Olingo read it literally ({@code $filter=Period+ge+2025-01-01} was a type error). OData's URL conventions
     * have a literal plus percent-encoded ({@code %2B}, e.g. in a time-zone offset), so no valid request changes meaning.
     */
    static HttpServletRequest plusAsSpace(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query == null || query.indexOf('+') < 0) {
            return request;
        }
        String spaced = query.replace("+", "%20");
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
                return spaced;
            }
        };
    }

    static HttpServletRequest csvRequest(HttpServletRequest request) {
        Matcher matcher = CSV_PATH.matcher(request.getRequestURI());
        if (!matcher.matches()) {
            return request;
        }
        String uri = PATH + "/" + matcher.group(1);
        StringJoiner query = new StringJoiner("&");
        if (request.getQueryString() != null) {
            for (String parameter : request.getQueryString().split("&")) {
                String name = URLDecoder.decode(parameter.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!parameter.isEmpty() && !name.equals("$format")) {
                    query.add(parameter);
                }
            }
        }
        query.add("$format=text%2Fcsv");
        String url = request.getRequestURL().toString();
        String rewrittenUrl = url.substring(0, url.length() - ".csv".length());
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getRequestURI() {
                return uri;
            }

            @Override
            public StringBuffer getRequestURL() {
                return new StringBuffer(rewrittenUrl);
            }

            @Override
            public String getQueryString() {
                return query.toString();
            }
        };
    }
}
