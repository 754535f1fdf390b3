package io.finhub.security;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The department rows a caller may see: every department, or only these ids. Where SQL reads
 * department-keyed rows (spend, budgets, GL actuals) a restricted caller gets only its own; where
 * it cannot be restricted, a restricted caller is refused rather than shown everything.
 */
public record DepartmentAccess(boolean all, Set<String> ids) {
    public static final DepartmentAccess ALL = new DepartmentAccess(true, Set.of());
    public static final DepartmentAccess NONE = new DepartmentAccess(false, Set.of());

    public DepartmentAccess {
        ids = Set.copyOf(new TreeSet<>(requireNonNull(ids, "ids is null")));
        if (all && !ids.isEmpty()) {
            throw new IllegalArgumentException("access to every department lists no ids");
        }
    }

    public static DepartmentAccess only(Collection<String> ids) {
        return new DepartmentAccess(false, Set.copyOf(ids));
    }

    public boolean restricted() {
        return !all;
    }

    public boolean permits(String departmentId) {
        return all || ids.contains(departmentId);
    }

    /** Canonical and unambiguous, as a cache-key component: equal keys mean equal visibility. */
    public String cacheKey() {
        if (all) {
            return "departments:*";
        }
        return new TreeSet<>(ids).stream().map(id -> id.length() + ":" + id).collect(Collectors.joining(",", "departments:[", "]"));
    }
}
