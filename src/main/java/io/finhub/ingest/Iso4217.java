package io.finhub.ingest;

import io.finhub.support.ClasspathResources;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The ISO 4217 currency list shipped with FinHub ({@code ingest/iso4217.csv}), so a currency code
 * is checked against the standard and not only against what {@code dim_currency} happens to hold.
 */
final class Iso4217 {
    static final String TABLE = "ingest_iso4217";
    private static final Iso4217 INSTANCE = load();

    private record Currency(String code, String name, OptionalInt minorUnits) {}

    private final Map<String, Currency> currencies;

    private Iso4217(Map<String, Currency> currencies) {
        this.currencies = currencies;
    }

    static Iso4217 standard() {
        return INSTANCE;
    }

    boolean contains(String code) {
        return currencies.containsKey(code);
    }

    Optional<String> name(String code) {
        return Optional.ofNullable(currencies.get(code)).map(Currency::name);
    }

    int size() {
        return currencies.size();
    }

    /** Creates the temporary table {@value #TABLE} (code, minor_units) on the handle's connection. */
    void createTempTable(Handle handle) {
        handle.execute("CREATE TEMP TABLE " + TABLE + " (code VARCHAR PRIMARY KEY, minor_units TINYINT)");
        PreparedBatch batch = handle.prepareBatch("INSERT INTO " + TABLE + " VALUES (:code, :minorUnits)");
        for (Currency currency : currencies.values()) {
            batch.bind("code", currency.code())
                    .bind("minorUnits", currency.minorUnits().isPresent() ? Integer.valueOf(currency.minorUnits().getAsInt()) : null)
                    .add();
        }
        batch.execute();
    }

    private static Iso4217 load() {
        Map<String, Currency> currencies = new LinkedHashMap<>();
        for (String line : ClasspathResources.read("ingest/iso4217.csv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", 3);
            OptionalInt minorUnits = fields[1].isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(fields[1]));
            currencies.put(fields[0], new Currency(fields[0], fields[2].trim(), minorUnits));
        }
        return new Iso4217(currencies);
    }
}
