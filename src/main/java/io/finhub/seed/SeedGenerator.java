package io.finhub.seed;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.util.function.Consumer;

/** Placeholder so the tree compiles while the seed generator is written (helper replaces this file). */
public final class SeedGenerator {
    public SeedGenerator(Store store) {}

    public SeedSummary generate(Scale scale, Consumer<String> progress) {
        throw new FinhubException(ErrorCode.INTERNAL, "the seed generator is being written");
    }
}
