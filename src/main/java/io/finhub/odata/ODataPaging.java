package io.finhub.odata;

/**
 * Server-driven paging: every response holds at most one page; {@code Prefer: odata.maxpagesize=N}
 * asks for smaller (or, up to the maximum, larger) pages.
 */
record ODataPaging(int defaultPageSize, int maxPageSize) {
    static final ODataPaging DEFAULTS = new ODataPaging(10_000, 50_000);

    ODataPaging {
        if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
            throw new IllegalArgumentException("page sizes must satisfy 1 <= default <= max");
        }
    }

    int pageSize(Integer preferred) {
        if (preferred == null || preferred < 1) {
            return defaultPageSize;
        }
        return Math.min(preferred, maxPageSize);
    }

    boolean preferenceApplied(Integer preferred) {
        return preferred != null && preferred >= 1;
    }
}
