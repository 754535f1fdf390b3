package io.finhub.odata;

/**
 * Where an entity set's rows come from: a store table read by SQL, or rows a FinHub service
 * computes (catalog views, feature queries), which SQL then filters, orders and pages by position.
 */
sealed interface ODataSource permits ODataTableSource, ODataRowSource {}
