package io.finhub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Secrets for the command line (keystore passwords, the database key) come from a file or an
 * environment variable, never from an argument: {@code ps} shows every process's arguments to
 * every user of the machine.
 */
final class Secrets {
    private Secrets() {}

    /** The first line of {@code file} when given, else the environment variable, else empty; blank counts as absent. */
    static Optional<String> read(Path file, String environmentVariable) {
        if (file != null) {
            String firstLine = firstLine(file);
            if (firstLine.isEmpty()) {
                throw new IllegalArgumentException("the secret file " + file + " is empty");
            }
            return Optional.of(firstLine);
        }
        return Optional.ofNullable(System.getenv(environmentVariable)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static String firstLine(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        }
        catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getMessage());
        }
    }
}
