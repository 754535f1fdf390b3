package io.finhub.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@code finhub} (io.finhub.App) in a separate JVM, with its output lines collected as they come. */
final class FinhubProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private FinhubProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collect, "finhub-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static FinhubProcess start(Path workingDirectory, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "io.finhub.App"));
        command.addAll(List.of(arguments));
        try {
            return new FinhubProcess(new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        catch (IOException e) {
            // The process was killed: its output ends here.
        }
    }

    /** The first output line that matches, waiting at most {@code timeout}; fails with the output so far otherwise. */
    String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (String line : lines) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(matches)) {
                throw new AssertionError("finhub exited with " + process.exitValue() + " before the expected line; output:\n" + String.join("\n", lines));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no expected line within " + timeout + "; output:\n" + String.join("\n", lines));
    }

    /** SIGKILL: no shutdown hook, no cleanup, exactly like a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("finhub did not finish within " + timeout + "; output:\n" + String.join("\n", lines));
        }
        return process.exitValue();
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
