package io.finhub.cli;

import io.finhub.audit.AuditLog;
import io.finhub.audit.AuditVerification;
import io.finhub.store.Store;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code finhub audit verify}: walks the audit log's hash chain; exit code 0 when intact, 1 when not. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check the tamper-evident audit log.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute every entry's hash and the chain; report any altered, inserted or deleted entry. Exit 0 intact, 1 tampered.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (Store store = Store.open(common.storeConfig())) {
                AuditVerification verification = new AuditLog(store, Clock.systemUTC()).verify();
                if (verification.ok()) {
                    System.out.printf("audit log intact: %d entries, head %s%n", verification.entries(), verification.headHash().orElse("(empty)"));
                    return 0;
                }
                System.out.printf("audit log TAMPERED: %d entries, first broken entry %s%n", verification.entries(),
                        verification.firstBrokenSeq().map(String::valueOf).orElse("?"));
                verification.problems().forEach(problem -> System.out.println("  " + problem));
                return 1;
            }
        }
    }
}
