package io.finhub.graphql;

import static java.util.Objects.requireNonNull;

import graphql.schema.idl.RuntimeWiring;
import io.finhub.audit.AuditEntry;
import io.finhub.audit.AuditLog;
import io.finhub.audit.AuditVerification;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.security.Caller;
import io.finhub.security.Role;
import io.finhub.security.Scope;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code me}, {@code auditLog} and {@code auditVerification}; the admin check is {@link SecurityInstrumentation}'s. */
public final class SecurityFetchers implements GraphqlModule {
    private final AuditLog audit;

    public SecurityFetchers(AuditLog audit) {
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("me", environment -> me(Caller.current()))
                .dataFetcher("auditLog", environment -> audit.entries(environment.<Long>getArgument("afterSeq"), limit(environment.getArgument("limit"))))
                .dataFetcher("auditVerification", environment -> verification(audit.verify())));
        wiring.type("AuditEntry", type -> type
                .dataFetcher("at", environment -> environment.<AuditEntry>getSource().at().atOffset(ZoneOffset.UTC)));
    }

    private static int limit(Integer limit) {
        if (limit == null || limit < 1 || limit > 10_000) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "limit must be between 1 and 10000, was " + limit);
        }
        return limit;
    }

    private static Map<String, Object> me(Caller caller) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("subject", caller.subject());
        me.put("scopes", caller.scopes().stream().map(Scope::claim).sorted().toList());
        me.put("roles", caller.roles().stream().map(Role::claim).sorted().toList());
        me.put("allDepartments", !caller.departments().restricted());
        me.put("departments", caller.departments().ids().stream().sorted().toList());
        return me;
    }

    private static Map<String, Object> verification(AuditVerification verification) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", verification.ok());
        result.put("entries", verification.entries());
        result.put("problems", verification.problems());
        result.put("firstBrokenSeq", verification.firstBrokenSeq().orElse(null));
        result.put("headHash", verification.headHash().orElse(null));
        return result;
    }
}
