package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.security.Caller;
import io.finhub.error.ErrorCode;
import io.finhub.odata.ODataReader.Row;
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
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.apache.olingo.commons.api.data.ContextURL;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.EntityCollection;
import org.apache.olingo.commons.api.data.EntityIterator;
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

/**
 * Reads entity sets: one page at a time as OData JSON (with {@code @odata.nextLink} while rows
 * remain), the whole set as CSV (read a chunk at a time), or just the count.
 */
final class ODataCollectionProcessor implements CountEntityCollectionProcessor {
    static final ContentType CSV = ContentType.create("text/csv");
    private static final int CSV_CHUNK = 50_000;

    private final ODataEntitySets sets;
    private final Store store;
    private final ODataReader reader;
    private final ODataPaging paging;
    private OData odata;
    private ServiceMetadata metadata;

    ODataCollectionProcessor(ODataEntitySets sets, Store store, ODataPaging paging) {
        this.sets = requireNonNull(sets, "sets is null");
        this.store = requireNonNull(store, "store is null");
        this.reader = new ODataReader(store);
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
            long count = reader.count(read.query());
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
            return ODataRelation.table(set, table, Caller.current().departments());
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


    // ---------------------------------------------------------------------------------------------- paging

    /**
     * Where a page starts and how long it may be.
     *
     * @param skip rows to skip before the page (none when it continues after {@code afterRow})
     * @param last true when {@code $top} ends the request with this page, so no next page is linked
     */
    private record Page(ODataSkipToken token, long limit, long skip, OptionalLong afterRow, boolean last) {
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
        if (token.lastRow().isPresent() != (query.rowOrdered() && token.delivered() > 0)) {
            throw ODataErrors.badRequest("invalid $skiptoken for this request: follow @odata.nextLink as it is");
        }
        if (token.dataVersion() != version) {
            throw new ODataApplicationException("the data changed (version " + token.dataVersion() + " to " + version
                    + ") while these pages were read, so they would not add up; read the set again from its first page",
                    HttpStatusCode.CONFLICT.getStatusCode(), Locale.ROOT, "DATA_CHANGED");
        }
        long skip = uriInfo.getSkipOption() == null ? 0 : uriInfo.getSkipOption().getValue();
        long remaining = uriInfo.getTopOption() == null ? Long.MAX_VALUE : uriInfo.getTopOption().getValue() - token.delivered();
        Integer preferred = odata.createPreferences(request.getHeaders(HttpHeader.PREFER)).getMaxPageSize();
        int pageSize = paging.pageSize(preferred);
        if (paging.preferenceApplied(preferred)) {
            response.setHeader(HttpHeader.PREFERENCE_APPLIED, "odata.maxpagesize=" + pageSize);
        }
        long limit = Math.max(0, Math.min(pageSize, remaining));
        long pageSkip = token.lastRow().isPresent() ? 0 : skip + token.delivered();
        return new Page(token, limit, pageSkip, token.lastRow(), remaining <= pageSize);
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

    /** The rows of a page (one more if there may be a next page) and, when there is a next page, its link. */
    private record PageRows(List<Row> rows, Optional<URI> next) {}

    private PageRows pageRows(ODataRequest request, ODataQuery query, List<Integer> columns, Page page, long version) {
        List<Row> rows = reader.read(query, columns, page.fetch(), page.skip(), page.afterRow());
        if (rows.size() <= page.limit()) {
            return new PageRows(rows, Optional.empty());
        }
        List<Row> delivered = rows.subList(0, Math.toIntExact(page.limit()));
        OptionalLong lastRow = query.rowOrdered() ? OptionalLong.of(delivered.get(delivered.size() - 1).number()) : OptionalLong.empty();
        return new PageRows(delivered, Optional.of(nextLink(request, new ODataSkipToken(page.token().delivered() + page.limit(), version, lastRow))));
    }

    /** Entities built one at a time as the serializer writes them, then the link to the next page. */
    private static final class PageIterator extends EntityIterator {
        private final Iterator<Row> rows;
        private final List<ODataColumn> columns;
        private final List<Integer> indexes;

        PageIterator(PageRows page, List<ODataColumn> columns, List<Integer> indexes) {
            this.rows = page.rows().iterator();
            this.columns = columns;
            this.indexes = indexes;
            page.next().ifPresent(this::setNext);
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Entity next() {
            return ODataValues.entity(columns, indexes, rows.next().values());
        }
    }

    // ---------------------------------------------------------------------------------------------- JSON

    private void json(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format, Read read, long version)
            throws ODataApplicationException, ODataLibraryException {
        ODataQuery query = read.query();
        Page page = page(request, response, uriInfo, query, version);
        List<Integer> columns = withKey(read);
        PageIterator iterator = new PageIterator(pageRows(request, query, columns, page, version), query.relation().columns(), columns);
        if (countAsked(uriInfo)) {
            iterator.setCount(Math.toIntExact(reader.count(query)));
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

    private static boolean countAsked(UriInfo uriInfo) {
        return uriInfo.getCountOption() != null && uriInfo.getCountOption().getValue();
    }

    /** Selected columns plus the key, which OData needs to identify each entity. */
    private static List<Integer> withKey(Read read) {
        Set<Integer> columns = new TreeSet<>(read.selected());
        columns.addAll(read.query().relation().keyIndexes());
        return List.copyOf(columns);
    }

    /** $apply results have properties of their own (the aliases), so Olingo's metadata-free serializer writes them. */
    private void aggregatedJson(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format, Read read, long version)
            throws ODataApplicationException, ODataLibraryException {
        ODataQuery query = read.query();
        Page page = page(request, response, uriInfo, query, version);
        List<Integer> columns = read.selected();
        PageRows rows = pageRows(request, query, columns, page, version);
        EntityCollection collection = new EntityCollection();
        rows.rows().forEach(row -> collection.getEntities().add(ODataValues.entity(query.relation().columns(), columns, row.values())));
        rows.next().ifPresent(collection::setNext);
        if (countAsked(uriInfo)) {
            collection.setCount(Math.toIntExact(reader.count(query)));
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

    /** The whole set (after $filter, $orderby, $skip, $top, $select), read a chunk at a time so memory stays bounded. */
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
        long written = 0;
        OptionalLong lastRow = OptionalLong.empty();
        while (written < top) {
            long chunk = Math.min(CSV_CHUNK, top - written);
            List<Row> rows = reader.read(query, columns, chunk, lastRow.isPresent() ? 0 : skip + written, lastRow);
            for (Row row : rows) {
                csv.row(row.values());
            }
            written += rows.size();
            if (rows.size() < chunk) {
                return;
            }
            if (query.rowOrdered()) {
                lastRow = OptionalLong.of(rows.get(rows.size() - 1).number());
            }
        }
    }
}
