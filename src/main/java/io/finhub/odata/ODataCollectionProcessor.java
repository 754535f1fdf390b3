package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.odata.ODataQuery.Statement;
import io.finhub.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.apache.olingo.commons.api.data.ContextURL;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.EntityCollection;
import org.apache.olingo.commons.api.data.EntityIterator;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.edm.EdmEntitySet;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.ODataContent;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.CountEntityCollectionProcessor;
import org.apache.olingo.server.api.serializer.EdmAssistedSerializerOptions;
import org.apache.olingo.server.api.serializer.EntityCollectionSerializerOptions;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.SelectItem;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads entity sets: one page at a time as OData JSON (streamed, with {@code @odata.nextLink}
 * while rows remain), the whole set as CSV, or just the count. One instance serves one request;
 * what it opens stays in the request's scope until the response has been written.
 */
final class ODataCollectionProcessor implements CountEntityCollectionProcessor {
    static final ContentType CSV = ContentType.create("text/csv");
    private static final int CSV_CHUNK = 50_000;

    private final ODataEntitySets sets;
    private final Store store;
    private final ODataRequestScope scope;
    private final ODataPaging paging;
    private OData odata;
    private ServiceMetadata metadata;

    ODataCollectionProcessor(ODataEntitySets sets, Store store, ODataRequestScope scope, ODataPaging paging) {
        this.sets = requireNonNull(sets, "sets is null");
        this.store = requireNonNull(store, "store is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.paging = requireNonNull(paging, "paging is null");
    }

    @Override
    public void init(OData odata, ServiceMetadata metadata) {
        this.odata = odata;
        this.metadata = metadata;
    }

    /** A parsed request: what it reads and how. */
    private record Read(ODataEntitySet set, EdmEntitySet edmEntitySet, ODataQuery query, List<Integer> selected, boolean aggregated) {}

    @Override
    public void readEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format)
            throws ODataApplicationException, ODataLibraryException {
        long version = store.dataVersion();
        try {
            Read read = read(uriInfo);
            if (format.isCompatible(CSV)) {
                csv(response, uriInfo, read);
            }
            else if (read.aggregated()) {
                aggregatedJson(request, response, uriInfo, format, read, version);
            }
            else {
                json(request, response, uriInfo, format, read, version);
            }
        }
        catch (RuntimeException e) {
            throw ODataErrors.of(e);
        }
    }

    @Override
    public void countEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo)
            throws ODataApplicationException, ODataLibraryException {
        try {
            Read read = read(uriInfo);
            long count = count(read.query());
            response.setContent(new java.io.ByteArrayInputStream(Long.toString(count).getBytes(StandardCharsets.UTF_8)));
            response.setStatusCode(HttpStatusCode.OK.getStatusCode());
            response.setHeader(HttpHeader.CONTENT_TYPE, ContentType.TEXT_PLAIN.toContentTypeString());
        }
        catch (RuntimeException e) {
            throw ODataErrors.of(e);
        }
    }

    private Read read(UriInfo uriInfo) throws ODataApplicationException {
        List<UriResource> path = uriInfo.getUriResourceParts();
        if (path.isEmpty() || !(path.get(0) instanceof UriResourceEntitySet resource) || !resource.getKeyPredicates().isEmpty()
                || resource.getTypeFilterOnCollection() != null || path.size() > 2) {
            throw ODataErrors.notImplemented("FinHub serves whole entity sets; single entities, properties and navigation are not supported");
        }
        requireSupportedOptions(uriInfo);
        ODataEntitySet set = sets.find(resource.getEntitySet().getName())
                .orElseThrow(() -> ODataErrors.of(ErrorCode.NOT_FOUND, "no entity set " + resource.getEntitySet().getName()));
        boolean aggregated = uriInfo.getApplyOption() != null;
        ODataRelation relation = aggregated ? aggregate(set, uriInfo) : relation(set);
        ODataQuery query = ODataQuery.of(relation, uriInfo.getFilterOption(), uriInfo.getOrderByOption());
        return new Read(set, resource.getEntitySet(), query, selected(relation, uriInfo.getSelectOption()), aggregated);
    }

    private static void requireSupportedOptions(UriInfo uriInfo) throws ODataApplicationException {
        if (uriInfo.getExpandOption() != null) {
            throw ODataErrors.notImplemented("$expand is not supported: FinHub's entity sets have no navigation properties");
        }
        if (uriInfo.getSearchOption() != null) {
            throw ODataErrors.notImplemented("$search is not supported: use $filter with contains(...)");
        }
        if (uriInfo.getDeltaTokenOption() != null) {
            throw ODataErrors.notImplemented("$deltatoken is not supported: FinHub serves no delta links");
        }
    }

    private ODataRelation aggregate(ODataEntitySet set, UriInfo uriInfo) throws ODataApplicationException {
        ODataCatalogView view = set.catalogView().orElseThrow(() -> ODataErrors.notImplemented(
                "$apply is answered by the catalog, on its views (RoiByCampaignMonth, AttributionByChannelModelMonth, "
                        + "BudgetVsActualByDepartmentMonth); " + set.name() + " is not one"));
        return new ODataApply(set, view, store.calendar()).aggregate(uriInfo.getApplyOption());
    }

    private static ODataRelation relation(ODataEntitySet set) {
        if (set.source() instanceof ODataTableSource table) {
            return ODataRelation.table(set, table);
        }
        return ODataRelation.computed(set.columns(), set.key(), ((ODataRowSource) set.source()).rows());
    }

    /** The columns to return, in the order asked for ({@code $select}), or all. */
    private static List<Integer> selected(ODataRelation relation, SelectOption select) throws ODataApplicationException {
        List<Integer> all = new ArrayList<>();
        for (int index = 0; index < relation.columns().size(); index++) {
            all.add(index);
        }
        if (select == null || select.getSelectItems().isEmpty()) {
            return all;
        }
        Set<Integer> selected = new LinkedHashSet<>();
        for (SelectItem item : select.getSelectItems()) {
            if (item.isStar()) {
                return all;
            }
            List<UriResource> path = item.getResourcePath() == null ? List.of() : item.getResourcePath().getUriResourceParts();
            if (path.size() != 1 || !(path.get(0) instanceof UriResourcePrimitiveProperty property)) {
                throw ODataErrors.notImplemented("$select takes properties of the entity set");
            }
            selected.add(relation.indexOf(property.getProperty().getName())
                    .orElseThrow(() -> ODataErrors.badRequest("unknown property " + property.getProperty().getName())));
        }
        return List.copyOf(selected);
    }

    private long count(ODataQuery query) {
        Statement statement = query.count();
        return store.jdbi().withHandle(handle -> bind(handle.createQuery(statement.sql()), statement).mapTo(Long.class).one());
    }

    private static Query bind(Query query, Statement statement) {
        statement.parameters().forEach((name, value) -> {
            if (value instanceof String[] values) {
                query.bindArray(name, String.class, (Object[]) values);
            }
            else {
                query.bind(name, value);
            }
        });
        return query;
    }

    // ---------------------------------------------------------------------------------------------- paging

    /**
     * Where a page starts and how long it may be.
     *
     * @param last true when {@code $top} ends the request with this page, so no next page is linked
     */
    private record Page(ODataSkipToken token, long limit, long offset, boolean keyset, boolean last) {
        /** Rows to read: one more than the page when there may be a next page, to know whether to link it. */
        long fetch() {
            return last ? limit : limit + 1;
        }
    }

    private Page page(ODataRequest request, ODataResponse response, UriInfo uriInfo, ODataQuery query, long version)
            throws ODataApplicationException {
        ODataSkipToken token = uriInfo.getSkipTokenOption() == null
                ? ODataSkipToken.start(version)
                : ODataSkipToken.decode(uriInfo.getSkipTokenOption().getValue());
        boolean keyset = query.keysetPageable();
        if (token.lastKey().isPresent() != (keyset && token.delivered() > 0)) {
            throw ODataErrors.badRequest("invalid $skiptoken for this request: follow @odata.nextLink as it is");
        }
        if (!keyset && token.dataVersion() != version) {
            throw new ODataApplicationException("the data changed (version " + token.dataVersion() + " → " + version
                    + ") while these pages were read; read the set again from its first page", HttpStatusCode.CONFLICT.getStatusCode(),
                    java.util.Locale.ROOT, "DATA_CHANGED");
        }
        long skip = uriInfo.getSkipOption() == null ? 0 : uriInfo.getSkipOption().getValue();
        long remaining = uriInfo.getTopOption() == null ? Long.MAX_VALUE : uriInfo.getTopOption().getValue() - token.delivered();
        int pageSize = paging.pageSize(odata.createPreferences(request.getHeaders(HttpHeader.PREFER)).getMaxPageSize());
        if (paging.preferenceApplied(odata.createPreferences(request.getHeaders(HttpHeader.PREFER)).getMaxPageSize())) {
            response.setHeader(HttpHeader.PREFERENCE_APPLIED, "odata.maxpagesize=" + pageSize);
        }
        long limit = Math.max(0, Math.min(pageSize, remaining));
        long offset = token.lastKey().isPresent() ? 0 : skip + token.delivered();
        return new Page(token, limit, offset, keyset, remaining <= pageSize);
    }

    /** The request's own URL with the next skip token in place of the current one. */
    private static URI nextLink(ODataRequest request, ODataSkipToken token) {
        StringJoiner query = new StringJoiner("&");
        String raw = request.getRawQueryPath();
        if (raw != null && !raw.isEmpty()) {
            for (String parameter : raw.split("&")) {
                String name = URLDecoder.decode(parameter.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!name.equals("$skiptoken") && !parameter.isEmpty()) {
                    query.add(parameter);
                }
            }
        }
        query.add("$skiptoken=" + token.encode());
        return URI.create(request.getRawBaseUri() + request.getRawODataPath() + "?" + query);
    }

    /** Entities of one page, then the link to the next page if rows remain. */
    private static final class PageIterator extends EntityIterator {
        private final Iterator<Entity> rows;
        private final long limit;
        private final java.util.function.Function<Optional<Entity>, URI> next;
        private long emitted;
        private Entity last;
        private boolean ended;

        PageIterator(Iterator<Entity> rows, long limit, java.util.function.Function<Optional<Entity>, URI> next) {
            this.rows = rows;
            this.limit = limit;
            this.next = next;
        }

        @Override
        public boolean hasNext() {
            if (emitted < limit) {
                return rows.hasNext();
            }
            if (!ended) {
                ended = true;
                if (rows.hasNext()) {
                    setNext(next.apply(Optional.ofNullable(last)));
                }
            }
            return false;
        }

        @Override
        public Entity next() {
            last = rows.next();
            emitted++;
            return last;
        }

        long emitted() {
            return emitted;
        }
    }

    // ---------------------------------------------------------------------------------------------- JSON

    private void json(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format, Read read, long version)
            throws ODataApplicationException, ODataLibraryException {
        ODataQuery query = read.query();
        Page page = page(request, response, uriInfo, query, version);
        Integer count = countIfAsked(uriInfo, query);
        List<Integer> columns = withKey(read);
        Iterator<Entity> rows = entities(query, columns, page);
        long delivered = page.token().delivered();
        List<Integer> keyIndexes = query.relation().keyIndexes();
        List<String> keyNames = keyIndexes.stream().map(index -> query.relation().columns().get(index).name()).toList();
        PageIterator iterator = new PageIterator(rows, page.limit(), last -> {
            Optional<List<String>> key = page.keyset() ? last.map(entity -> keyOf(entity, keyNames)) : Optional.empty();
            return nextLink(request, new ODataSkipToken(delivered + page.limit(), version, key));
        });
        if (count != null) {
            iterator.setCount(count);
        }
        EntityCollectionSerializerOptions options = EntityCollectionSerializerOptions.with()
                .contextURL(ContextURL.with().entitySet(read.edmEntitySet())
                        .selectList(odata.createUriHelper().buildContextURLSelectList(read.edmEntitySet().getEntityType(), null,
                                uriInfo.getSelectOption()))
                        .build())
                .select(uriInfo.getSelectOption())
                .count(uriInfo.getCountOption())
                .id(request.getRawBaseUri() + "/" + read.set().name())
                .build();
        response.setODataContent(odata.createSerializer(format)
                .entityCollectionStreamed(metadata, read.edmEntitySet().getEntityType(), iterator, options).getODataContent());
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, format.toContentTypeString());
    }

    private static List<String> keyOf(Entity entity, List<String> keyNames) {
        List<String> key = new ArrayList<>();
        for (String name : keyNames) {
            Property property = entity.getProperty(name);
            key.add(ODataRelation.text(property.getValue()));
        }
        return key;
    }

    private Integer countIfAsked(UriInfo uriInfo, ODataQuery query) {
        if (uriInfo.getCountOption() == null || !uriInfo.getCountOption().getValue()) {
            return null;
        }
        return Math.toIntExact(count(query));
    }

    /** Selected columns plus the key, which OData needs to identify each entity. */
    private static List<Integer> withKey(Read read) {
        Set<Integer> columns = new TreeSet<>(read.selected());
        columns.addAll(read.query().relation().keyIndexes());
        return List.copyOf(columns);
    }

    /** The page's rows as entities with {@code columns}, one more than the page if there is one (to know whether to link a next page). */
    private Iterator<Entity> entities(ODataQuery query, List<Integer> columns, Page page) {
        ODataRelation relation = query.relation();
        Statement statement = query.page(columns, OptionalLong.of(page.fetch()), page.offset(), page.token().lastKey());
        if (relation.computed()) {
            List<Integer> numbers = store.jdbi().withHandle(handle -> bind(handle.createQuery(statement.sql()), statement).mapTo(Integer.class).list());
            return numbers.stream().map(number -> ODataValues.entity(relation.columns(), columns, project(relation.row(number), columns))).iterator();
        }
        Handle handle = scope.add(store.jdbi().open());
        ResultIterator<Entity> results = bind(handle.createQuery(statement.sql()), statement).map((row, context) -> {
            Object[] values = new Object[columns.size()];
            for (int position = 0; position < columns.size(); position++) {
                int index = columns.get(position);
                values[position] = ODataValues.read(row, ODataRelation.column(index), relation.columns().get(index));
            }
            return ODataValues.entity(relation.columns(), columns, values);
        }).iterator();
        return scope.add(results);
    }

    private static Object[] project(Object[] row, List<Integer> columns) {
        Object[] values = new Object[columns.size()];
        for (int position = 0; position < columns.size(); position++) {
            values[position] = row[columns.get(position)];
        }
        return values;
    }

    /** $apply results have properties of their own (the aliases), so Olingo's metadata-free serializer writes them. */
    private void aggregatedJson(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format, Read read, long version)
            throws ODataApplicationException, ODataLibraryException {
        ODataQuery query = read.query();
        Page page = page(request, response, uriInfo, query, version);
        Integer count = countIfAsked(uriInfo, query);
        List<Integer> columns = read.selected();
        Iterator<Entity> rows = entities(query, columns, page);
        EntityCollection collection = new EntityCollection();
        while (rows.hasNext() && collection.getEntities().size() < page.limit()) {
            collection.getEntities().add(rows.next());
        }
        if (rows.hasNext()) {
            collection.setNext(nextLink(request, new ODataSkipToken(page.token().delivered() + page.limit(), version, Optional.empty())));
        }
        if (count != null) {
            collection.setCount(count);
        }
        StringJoiner selectList = new StringJoiner(",");
        columns.forEach(index -> selectList.add(query.relation().columns().get(index).name()));
        EdmAssistedSerializerOptions options = EdmAssistedSerializerOptions.with()
                .contextURL(ContextURL.with().entitySet(read.edmEntitySet()).selectList(selectList.toString()).build())
                .build();
        response.setContent(odata.createEdmAssistedSerializer(format)
                .entityCollection(metadata, read.edmEntitySet().getEntityType(), collection, options).getContent());
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, format.toContentTypeString());
    }

    // ---------------------------------------------------------------------------------------------- CSV

    /** The whole set (after $filter, $orderby, $skip, $top, $select), read in chunks so memory stays bounded. */
    private void csv(ODataResponse response, UriInfo uriInfo, Read read) throws ODataApplicationException {
        if (uriInfo.getSkipTokenOption() != null) {
            throw ODataErrors.badRequest("CSV is the whole set in one response: it takes no $skiptoken");
        }
        ODataQuery query = read.query();
        List<Integer> columns = read.selected();
        long skip = uriInfo.getSkipOption() == null ? 0 : uriInfo.getSkipOption().getValue();
        long top = uriInfo.getTopOption() == null ? Long.MAX_VALUE : uriInfo.getTopOption().getValue();
        List<ODataColumn> csvColumns = columns.stream().map(index -> query.relation().columns().get(index)).toList();
        response.setODataContent(new ODataContent() {
            @Override
            public void write(WritableByteChannel channel) {
                write(Channels.newOutputStream(channel));
            }

            @Override
            public void write(OutputStream stream) {
                try {
                    BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
                    ODataCsv csv = new ODataCsv(writer, csvColumns);
                    csv.header();
                    writeCsvRows(query, columns, skip, top, csv);
                    writer.flush();
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, "text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + read.set().name() + ".csv\"");
    }

    private void writeCsvRows(ODataQuery query, List<Integer> columns, long skip, long top, ODataCsv csv) throws IOException {
        ODataRelation relation = query.relation();
        List<Integer> fetched = new ArrayList<>(new TreeSet<>(columns));
        fetched.addAll(relation.keyIndexes().stream().filter(index -> !columns.contains(index)).toList());
        long written = 0;
        Optional<List<String>> after = Optional.empty();
        while (written < top) {
            long chunk = Math.min(CSV_CHUNK, top - written);
            long offset = after.isPresent() ? 0 : skip + written;
            Statement statement = query.page(fetched, OptionalLong.of(chunk), query.keysetPageable() ? (written == 0 ? skip : 0) : offset,
                    query.keysetPageable() ? after : Optional.empty());
            List<Object[]> rows = chunk(relation, statement, fetched);
            for (Object[] row : rows) {
                Object[] values = new Object[columns.size()];
                for (int position = 0; position < columns.size(); position++) {
                    values[position] = row[fetched.indexOf(columns.get(position))];
                }
                csv.row(values);
            }
            written += rows.size();
            if (rows.size() < chunk) {
                return;
            }
            Object[] last = rows.get(rows.size() - 1);
            after = Optional.of(relation.keyIndexes().stream().map(index -> ODataRelation.text(last[fetched.indexOf(index)])).toList());
        }
    }

    private List<Object[]> chunk(ODataRelation relation, Statement statement, List<Integer> fetched) {
        if (relation.computed()) {
            List<Integer> numbers = store.jdbi().withHandle(handle -> bind(handle.createQuery(statement.sql()), statement).mapTo(Integer.class).list());
            return numbers.stream().map(number -> project(relation.row(number), fetched)).toList();
        }
        return store.jdbi().withHandle(handle -> bind(handle.createQuery(statement.sql()), statement).map((row, context) -> {
            Object[] values = new Object[fetched.size()];
            for (int position = 0; position < fetched.size(); position++) {
                int index = fetched.get(position);
                values[position] = ODataValues.read(row, ODataRelation.column(index), relation.columns().get(index));
            }
            return values;
        }).list());
    }
}
