package io.finhub.odata;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one request holds open while its response streams (a connection, a result set), closed
 * when the response has been written, whatever happened.
 */
final class ODataRequestScope implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ODataRequestScope.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            }
            catch (Exception e) {
                LOG.warn("cannot close an OData request resource", e);
            }
        }
    }
}
