package io.finhub.odata;

import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.EntityProcessor;
import org.apache.olingo.server.api.uri.UriInfo;

/**
 * Requests about one entity ({@code /odata/Campaigns('x')}): the feed answers collections only, so these are
 * {@code NOT_IMPLEMENTED} with the reason, as every other request it cannot answer (without a processor Olingo
 * answered 501 with no code and "No processor for interface 'EntityProcessor' registered.").
 */
final class ODataEntityRequests implements EntityProcessor {
    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {}

    @Override
    public void readEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType responseFormat) throws ODataApplicationException {
        throw ODataErrors.notImplemented("reading one entity by its key is not supported: read the entity set with $filter on the key, "
                + "e.g. /odata/Campaigns?$filter=CampaignId eq 'x'");
    }

    @Override
    public void createEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat)
            throws ODataApplicationException {
        throw readOnly();
    }

    @Override
    public void updateEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat)
            throws ODataApplicationException {
        throw readOnly();
    }

    @Override
    public void deleteEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo) throws ODataApplicationException {
        throw readOnly();
    }

    private static ODataApplicationException readOnly() {
        return ODataErrors.notImplemented("the feed is read-only: data is written through imports (POST /import/<dataset>) or GraphQL mutations");
    }
}
