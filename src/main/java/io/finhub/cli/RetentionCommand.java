package io.finhub.cli;

import io.finhub.retention.RetentionPolicy;
import io.finhub.retention.RetentionRun;
import io.finhub.retention.RetentionService;
import io.finhub.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finhub retention list|set|remove|apply}: how long each fact dataset keeps its rows, and deleting what is older. */
@Command(name = "retention", mixinStandardHelpOptions = true, description = "Data retention policies per fact dataset, and applying them (audited).",
        subcommands = {RetentionCommand.ListPolicies.class, RetentionCommand.SetPolicy.class, RetentionCommand.Remove.class, RetentionCommand.Apply.class})
final class RetentionCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    private static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the policies.")
    static final class ListPolicies implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (Store store = Store.open(common.storeConfig())) {
                List<RetentionPolicy> policies = new RetentionService(store, Clock.systemUTC()).policies();
                if (policies.isEmpty()) {
                    System.out.println("No retention policy: every row is kept.");
                }
                policies.forEach(policy -> System.out.printf("%-26s keep %d months (by %s)%n", policy.dataset(), policy.keepMonths(), policy.dateColumn()));
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Keep DATASET's rows for MONTHS months, e.g. 'retention set fact_touchpoint 24'.")
    static final class SetPolicy implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "DATASET")
        String dataset;

        @Parameters(index = "1", paramLabel = "MONTHS")
        int months;

        @Override
        public Integer call() {
            RetentionPolicy policy = new RetentionPolicy(dataset, months);
            try (Store store = Store.open(common.storeConfig())) {
                new RetentionService(store, Clock.systemUTC()).set(policy, actor());
                System.out.printf("%s keeps %d months of rows (by %s); 'finhub retention apply' deletes older ones.%n", dataset, months, policy.dateColumn());
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove DATASET's policy: its rows are kept.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "DATASET")
        String dataset;

        @Override
        public Integer call() {
            try (Store store = Store.open(common.storeConfig())) {
                new RetentionService(store, Clock.systemUTC()).remove(dataset, actor());
                System.out.println("Removed the retention policy of " + dataset);
            }
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Delete, in one transaction, every row older than its dataset's policy; audited. With --dry-run only count.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--dry-run", description = "Count what would be deleted; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            try (Store store = Store.open(common.storeConfig())) {
                RetentionRun run = new RetentionService(store, Clock.systemUTC()).apply(dryRun, actor());
                String verb = dryRun ? "would delete" : "deleted";
                for (RetentionRun.Purge purge : run.purges()) {
                    System.out.printf("%-26s %s %,d rows with %s before %s (keep %d months)%n", purge.policy().dataset(), verb, purge.rows(),
                            purge.policy().dateColumn(), purge.cutoff(), purge.policy().keepMonths());
                }
                System.out.printf("%s %,d rows in all%s%n", dryRun ? "Dry run: would delete" : "Deleted", run.totalRows(),
                        run.dataVersion().map(version -> " (data version " + version + ")").orElse(dryRun ? "; nothing changed" : ""));
            }
            return 0;
        }
    }
}
