package io.finhub.store;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.support.ClasspathResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies the versioned DDL in {@code schema/migrations/V###__name.sql}, each in its own
 * transaction, recording version and checksum. Applying twice changes nothing; a migration whose
 * text changed after it was applied stops the start-up instead of silently diverging.
 */
final class Migrations {
    private static final String LOCATION = "schema/migrations";
    private static final Pattern FILE_NAME = Pattern.compile("V(\\d{3})__([a-z0-9_]+)\\.sql");

    private final Jdbi jdbi;

    Migrations(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    record Migration(int version, String name, String sql, String checksum) {}

    void apply() {
        jdbi.useHandle(handle -> handle.execute("""
                CREATE TABLE IF NOT EXISTS finhub_schema_migration (
                    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"""));
        for (Migration migration : load()) {
            Optional<String> applied = jdbi.withHandle(handle -> handle
                    .createQuery("SELECT checksum FROM finhub_schema_migration WHERE version = :version")
                    .bind("version", migration.version())
                    .mapTo(String.class)
                    .findOne());
            if (applied.isEmpty()) {
                run(migration);
            }
            else if (!applied.get().equals(migration.checksum())) {
                throw new FinhubException(ErrorCode.INTERNAL, "migration V%03d__%s changed after it was applied; add a new migration instead"
                        .formatted(migration.version(), migration.name()));
            }
        }
    }

    private void run(Migration migration) {
        jdbi.useTransaction(handle -> {
            handle.createScript(migration.sql()).execute();
            handle.createUpdate("INSERT INTO finhub_schema_migration VALUES (:version, :name, :checksum, now()::TIMESTAMP)")
                    .bind("version", migration.version())
                    .bind("name", migration.name())
                    .bind("checksum", migration.checksum())
                    .execute();
        });
    }

    static List<Migration> load() {
        List<Migration> migrations = new ArrayList<>();
        ClasspathResources.readAll(LOCATION, ".sql").forEach((fileName, sql) -> {
            Matcher matcher = FILE_NAME.matcher(fileName);
            if (!matcher.matches()) {
                throw new FinhubException(ErrorCode.INTERNAL, "migration file " + fileName + " is not named V###__name.sql");
            }
            migrations.add(new Migration(Integer.parseInt(matcher.group(1)), matcher.group(2), sql, sha256(sql)));
        });
        return migrations;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
