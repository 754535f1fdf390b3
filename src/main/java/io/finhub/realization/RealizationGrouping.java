package io.finhub.realization;

/** What a realization summary is broken down by, besides the fiscal quarter. */
public enum RealizationGrouping {
    CONTRACT("r.contract_id", "cu.customer_name"),
    CUSTOMER("r.customer_id", "cu.customer_name"),
    SEGMENT("cu.segment", "cu.segment"),
    PRODUCT("r.product_id", "p.product_name"),
    PORTFOLIO("'ALL'", "'All contracts'");

    private final String keySql;
    private final String labelSql;

    RealizationGrouping(String keySql, String labelSql) {
        this.keySql = keySql;
        this.labelSql = labelSql;
    }

    String keySql() {
        return keySql;
    }

    String labelSql() {
        return labelSql;
    }
}
