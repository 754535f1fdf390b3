package io.finhub.store;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.duckdb.DuckDBConnection;

/**
 * Opens a DuckDB file encrypted at rest: an in-memory DuckDB that attaches the file with its key
 * ({@code ATTACH ... (ENCRYPTION_KEY ...)}) and uses it, so every table lives in the encrypted file
 * (DuckDB encrypts its WAL and spill files of that database too).
 *
 * <p>DuckDB 1.4 writes encrypted files only with a secure crypto module, which its {@code httpfs}
 * extension (OpenSSL) provides; the JDBC driver does not bundle it. It is loaded here when installed.
 */
final class EncryptedFile {
    private EncryptedFile() {}

    static DuckDBConnection attach(Path path, DatabaseKey key) {
        DuckDBConnection root = inMemory();
        try (Statement statement = root.createStatement()) {
            Files.createDirectories(path.toAbsolutePath().getParent());
            loadSecureCrypto(root);
            statement.execute("ATTACH '%s' AS %s (ENCRYPTION_KEY '%s')".formatted(literal(path.toAbsolutePath().toString()), Store.ENCRYPTED_CATALOG,
                    literal(key.value())));
            statement.execute("USE " + Store.ENCRYPTED_CATALOG);
            return root;
        }
        catch (SQLException e) {
            closeQuietly(root);
            throw translate(path, e);
        }
        catch (IOException e) {
            closeQuietly(root);
            throw new FinhubException(ErrorCode.INTERNAL, "cannot create the directory of " + path + ": " + e.getMessage(), e);
        }
    }

    /** Loads httpfs when it is installed; without it the ATTACH below fails and {@link #translate} says what to do. */
    private static void loadSecureCrypto(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOAD httpfs");
        }
        catch (SQLException notInstalled) {
            // reported by the ATTACH, which names the actual problem
        }
    }

    private static FinhubException translate(Path path, SQLException e) {
        String message = String.valueOf(e.getMessage());
        String firstLine = message.lines().findFirst().orElse(message);
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only crypto") || lower.contains("secure random")) {
            return new FinhubException(ErrorCode.INTERNAL, ("cannot open the encrypted database %s: DuckDB writes encrypted files only with its httpfs "
                    + "extension (OpenSSL), which is not installed for this DuckDB version here; install it once (SQL: INSTALL httpfs, needs access to "
                    + "DuckDB's extension repository), or run without a database key. DuckDB said: %s").formatted(path, firstLine), e);
        }
        if (lower.contains("lock")) {
            return new FinhubException(ErrorCode.DATABASE_IN_USE, "the database " + path + " is in use by another FinHub process; "
                    + "stop it (an import can instead be sent to that server with --server URL)", e);
        }
        if (lower.contains("key") || lower.contains("encrypt")) {
            return new FinhubException(ErrorCode.BAD_REQUEST, "cannot open the encrypted database %s with this key (wrong key, or the file is not encrypted): %s"
                    .formatted(path, firstLine), e);
        }
        return new FinhubException(ErrorCode.INTERNAL, "cannot open the encrypted database " + path + ": " + firstLine, e);
    }

    /**
     * Explains DuckDB's refusal to open an encrypted file without a key; {@code null} when
     * {@code e} is about something else.
     */
    static FinhubException withoutKey(Path path, SQLException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (!message.contains("encrypt")) {
            return null;
        }
        return new FinhubException(ErrorCode.BAD_REQUEST, "the database " + path + " is encrypted: give its key with env FINHUB_DB_KEY or --db-key-file FILE", e);
    }

    private static DuckDBConnection inMemory() {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            return DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
        }
        catch (SQLException | ClassNotFoundException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    private static String literal(String text) {
        return text.replace("'", "''");
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // already failing: the original error is the one to report
        }
    }
}
