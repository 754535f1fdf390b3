package io.finhub.cli;

import io.finhub.seed.Scale;
import io.finhub.seed.SeedGenerator;
import io.finhub.seed.SeedSummary;
import io.finhub.store.Store;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Generate the deterministic demo company into an empty database: demo (default), m (~10M touchpoints) or l (~100M).")
final class SeedCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--scale", defaultValue = "${env:FINHUB_SCALE:-demo}", description = "demo, m or l (env FINHUB_SCALE, default ${DEFAULT-VALUE}).")
    String scale;

    @Override
    public Integer call() {
        Scale parsed;
        try {
            parsed = Scale.valueOf(scale.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scale '" + scale + "': use demo, m or l");
        }
        try (Store store = Store.open(common.storeConfig())) {
            SeedSummary summary = new SeedGenerator(store).generate(parsed, System.out::println);
            System.out.printf("Seeded %s at scale %s in %.1f s (data version %d)%n", common.db, parsed, summary.elapsed().toMillis() / 1000.0,
                    summary.dataVersion());
        }
        return 0;
    }
}
