package io.finhub.odata;

import java.util.List;

/**
 * Rows computed by a FinHub service, so every number is the one GraphQL returns. Each row holds one
 * value per column of the entity set, in column order, in the order the service returns them
 * (which is the feed's default order).
 */
non-sealed interface ODataRowSource extends ODataSource {
    List<Object[]> rows();
}
