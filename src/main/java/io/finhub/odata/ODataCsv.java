package io.finhub.odata;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * CSV for everyone without an OData client (RFC 4180: comma, CRLF, quotes doubled). Text that a
 * spreadsheet would run as a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab, CR at the
 * start) is prefixed with an apostrophe (OWASP's CSV-injection advice); numbers never are.
 */
final class ODataCsv {
    private final Writer out;
    private final List<ODataColumn> columns;

    ODataCsv(Writer out, List<ODataColumn> columns) {
        this.out = out;
        this.columns = List.copyOf(columns);
    }

    void header() throws IOException {
        for (int index = 0; index < columns.size(); index++) {
            if (index > 0) {
                out.write(',');
            }
            out.write(quoted(columns.get(index).name()));
        }
        out.write("\r\n");
    }

    /** One row, a value per column of this writer. */
    void row(Object[] values) throws IOException {
        for (int index = 0; index < values.length; index++) {
            if (index > 0) {
                out.write(',');
            }
            out.write(field(values[index], columns.get(index)));
        }
        out.write("\r\n");
    }

    private static String field(Object value, ODataColumn column) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        String text = value.toString();
        if (column.isText() && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return quoted(text);
    }

    private static String quoted(String text) {
        boolean needsQuotes = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        return needsQuotes ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
