package io.finhub.roi;

import io.finhub.store.TimeGrain;
import java.util.Optional;

/** What the ROI report can be broken down by: the dimensions spend and attributed revenue share, and time. */
public enum RoiDimension {
    CHANNEL("channel", null),
    CHANNEL_GROUP("channelGroup", null),
    CAMPAIGN("campaign", null),
    PRODUCT("product", null),
    MONTH(null, TimeGrain.MONTH),
    QUARTER(null, TimeGrain.QUARTER),
    YEAR(null, TimeGrain.YEAR);

    private final String catalogDimension;
    private final TimeGrain grain;

    RoiDimension(String catalogDimension, TimeGrain grain) {
        this.catalogDimension = catalogDimension;
        this.grain = grain;
    }

    Optional<String> catalogDimension() {
        return Optional.ofNullable(catalogDimension);
    }

    Optional<TimeGrain> grain() {
        return Optional.ofNullable(grain);
    }
}
