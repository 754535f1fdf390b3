-- Security: API tokens for BI tools and services, and the hash-chained audit log.

-- Only the SHA-256 of a token's secret is stored; the secret is shown once, when it is created.
-- departments NULL: the departments the roles allow (see README, Security).
CREATE TABLE security_api_token (
    token_id       VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    secret_sha256  VARCHAR NOT NULL UNIQUE,
    scopes         VARCHAR[] NOT NULL,
    roles          VARCHAR[] NOT NULL,
    departments    VARCHAR[],
    created_at     TIMESTAMP NOT NULL,
    revoked_at     TIMESTAMP
);

-- Append-only: each entry carries the hash of the previous one, so an altered, inserted or
-- deleted entry breaks the chain (`finhub audit verify`, GraphQL auditVerification).
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    recorded_at TIMESTAMP NOT NULL,
    actor      VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,
    target     VARCHAR NOT NULL,
    detail     VARCHAR NOT NULL,
    prev_hash  VARCHAR NOT NULL,
    hash       VARCHAR NOT NULL
);
