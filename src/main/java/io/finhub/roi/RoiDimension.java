package io.finhub.roi;

import io.finhub.catalog.ReportDimension;
import io.finhub.store.TimeGrain;
import java.util.Optional;

/** What the ROI report can be broken down by: the dimensions spend and attributed revenue share, and time. */
public enum RoiDimension implements ReportDimension {
    CHANNEL("channel", null),
    CHANNEL_GROUP("channelGroup", null),
    CAMPAIGN("campaign", null),
    PRODUCT("product", null),
    /** Spend by the department that spent it; attributed revenue and leads by the department that runs the campaign. */
    DEPARTMENT("department", null),
    /**
     * The converting customer's segment; cost follows the revenue each campaign is credited with from
     * each segment (see {@link RoiQueries}). Combines only with one time grain.
     */
    SEGMENT(null, null),
    MONTH(null, TimeGrain.MONTH),
    QUARTER(null, TimeGrain.QUARTER),
    YEAR(null, TimeGrain.YEAR);

    private final String catalogDimension;
    private final TimeGrain grain;

    RoiDimension(String catalogDimension, TimeGrain grain) {
        this.catalogDimension = catalogDimension;
        this.grain = grain;
    }

    @Override
    public Optional<String> catalogDimension() {
        return Optional.ofNullable(catalogDimension);
    }

    @Override
    public Optional<TimeGrain> grain() {
        return Optional.ofNullable(grain);
    }
}
