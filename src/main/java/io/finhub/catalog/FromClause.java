package io.finhub.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops the dimension joins of a fact's {@code FROM} that a query does not use. A catalog fact
 * may {@code LEFT JOIN} a {@code dim_} table only on that table's key, so such a join never adds or
 * removes a row: leaving it out when no column of its alias is read changes no figure, and saves
 * joining every fact row (2 million attribution credits) to a dimension nobody asked for.
 * Inner joins, and anything in parentheses, are always kept.
 */
final class FromClause {
    private static final String LEFT_JOIN = "LEFT JOIN ";
    private static final Pattern DIMENSION_JOIN = Pattern.compile("LEFT JOIN (dim_[a-z_]+) ([a-z][a-z0-9_]*) ON (.+)", Pattern.DOTALL);

    private FromClause() {}

    private record Join(String text, String alias, String condition) {}

    /** {@code from} without the dimension joins whose alias neither {@code used} nor a kept join's condition mentions. */
    static String pruned(String from, String used) {
        List<Integer> starts = topLevelLeftJoins(from);
        if (starts.isEmpty()) {
            return from;
        }
        String head = from.substring(0, starts.get(0));
        List<Join> joins = new ArrayList<>();
        for (int index = 0; index < starts.size(); index++) {
            int end = index + 1 < starts.size() ? starts.get(index + 1) : from.length();
            String text = from.substring(starts.get(index), end);
            Matcher matcher = DIMENSION_JOIN.matcher(text.strip());
            boolean prunable = matcher.matches() && !text.substring(LEFT_JOIN.length()).toUpperCase(Locale.ROOT).contains(" JOIN ");
            joins.add(new Join(text, prunable ? matcher.group(2) : null, prunable ? matcher.group(3) : text));
        }
        boolean[] keep = new boolean[joins.size()];
        StringBuilder needed = new StringBuilder(used).append(' ').append(head);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int index = 0; index < joins.size(); index++) {
                Join join = joins.get(index);
                if (!keep[index] && (join.alias() == null || mentions(needed, join.alias()))) {
                    keep[index] = true;
                    needed.append(' ').append(join.condition());
                    changed = true;
                }
            }
        }
        StringBuilder result = new StringBuilder(head);
        for (int index = 0; index < joins.size(); index++) {
            if (keep[index]) {
                result.append(joins.get(index).text());
            }
        }
        return result.toString().stripTrailing();
    }

    private static boolean mentions(CharSequence sql, String alias) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(alias) + "\\.").matcher(sql).find();
    }

    private static List<Integer> topLevelLeftJoins(String from) {
        List<Integer> starts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        for (int index = 0; index < from.length(); index++) {
            char c = from.charAt(index);
            if (c == '\'') {
                quoted = !quoted;
            }
            else if (!quoted && c == '(') {
                depth++;
            }
            else if (!quoted && c == ')') {
                depth--;
            }
            else if (!quoted && depth == 0 && from.startsWith(LEFT_JOIN, index) && (index == 0 || Character.isWhitespace(from.charAt(index - 1)))) {
                starts.add(index);
            }
        }
        return starts;
    }
}
