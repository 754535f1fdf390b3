package io.finhub.ingest;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.ingest.Dataset.DatasetColumn;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows a REPLACE batch replaces: every given column equals its value, a date or timestamp column
 * lies in the given day ({@code 2025-03-31}), month ({@code 2025-03}) or year ({@code 2025}).
 */
final class PartitionPredicate {
    private record Term(String column, String display, String equals, LocalDate from, LocalDate until) {}

    private static final PartitionPredicate NONE = new PartitionPredicate(List.of());

    private final List<Term> terms;

    private PartitionPredicate(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    static PartitionPredicate none() {
        return NONE;
    }

    static PartitionPredicate of(Dataset dataset, List<Partition> partitions) {
        List<Term> terms = new ArrayList<>();
        for (Partition partition : partitions) {
            DatasetColumn column = dataset.column(partition.column()).orElseThrow(() -> new FinhubException(ErrorCode.BAD_REQUEST,
                    "partition column '%s' is not a column of %s".formatted(partition.column(), dataset.name())));
            if (terms.stream().anyMatch(term -> term.column().equals(column.name()))) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "partition column '" + column.name() + "' is given twice");
            }
            terms.add(term(dataset, column, partition.value()));
        }
        return new PartitionPredicate(terms);
    }

    private static Term term(Dataset dataset, DatasetColumn column, String value) {
        String display = column.name() + "=" + value;
        if (column.isText()) {
            return new Term(column.name(), display, value, null, null);
        }
        if (!column.isTemporal()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "%s.%s is %s: partition by a text, date or timestamp column"
                    .formatted(dataset.name(), column.name(), column.type()));
        }
        try {
            if (value.matches("\\d{4}")) {
                LocalDate from = LocalDate.of(Integer.parseInt(value), 1, 1);
                return new Term(column.name(), display, null, from, from.plusYears(1));
            }
            if (value.matches("\\d{4}-\\d{2}")) {
                LocalDate from = YearMonth.parse(value).atDay(1);
                return new Term(column.name(), display, null, from, from.plusMonths(1));
            }
            LocalDate day = LocalDate.parse(value);
            return new Term(column.name(), display, null, day, day.plusDays(1));
        }
        catch (DateTimeException e) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "partition %s: give a year (2025), a month (2025-03) or a day (2025-03-31)".formatted(display));
        }
    }

    boolean isEmpty() {
        return terms.isEmpty();
    }

    List<String> columns() {
        return terms.stream().map(Term::column).toList();
    }

    /** The condition over {@code alias}'s columns; an empty predicate is TRUE. */
    SqlText sql(String alias) {
        SqlText sql = new SqlText();
        if (terms.isEmpty()) {
            return sql.append("TRUE");
        }
        String separator = "";
        for (int term = 0; term < terms.size(); term++) {
            sql.append(separator).append(termSql(alias, term));
            separator = " AND ";
        }
        return sql;
    }

    /**
     * The condition that the {@code term}-th column ({@link #columns()} order) is the first the row
     * of {@code alias} does not match: every earlier one matches, this one does not (or is NULL).
     */
    SqlText firstMismatch(String alias, int term) {
        SqlText sql = new SqlText();
        for (int earlier = 0; earlier < term; earlier++) {
            sql.append("coalesce(").append(termSql(alias, earlier)).append(", false) AND ");
        }
        return sql.append("NOT coalesce(").append(termSql(alias, term)).append(", false)");
    }

    private SqlText termSql(String alias, int index) {
        Term term = terms.get(index);
        String column = alias + "." + SqlText.identifier(term.column());
        if (term.equals() != null) {
            return SqlText.of(column + " = ").parameter(term.equals());
        }
        return SqlText.of("(" + column + " >= CAST(").parameter(term.from().toString()).append(" AS DATE) AND " + column + " < CAST(")
                .parameter(term.until().toString()).append(" AS DATE))");
    }

    /** {@code entity_id=US, posting_date=2025-03}, or empty. */
    String describe() {
        return terms.stream().map(Term::display).collect(Collectors.joining(", "));
    }
}
