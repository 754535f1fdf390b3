package io.finhub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A subcommand whose capability is not in this build yet; it says so plainly and exits with 2. */
@Command(mixinStandardHelpOptions = true)
final class PendingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.err.println("finhub " + spec.name() + ": " + String.join(" ", spec.usageMessage().description()));
        return 2;
    }
}
