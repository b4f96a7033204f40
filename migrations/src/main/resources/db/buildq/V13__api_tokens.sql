-- Bearer tokens of the HTTP API (/v1): one per client (Conductor, a CLI), created with
-- `buildq token create --name NAME`. Only the SHA-256 of a token is kept: the token itself is shown
-- once, when it is created. A revoked token stays listed, with when it was revoked.
CREATE TABLE buildq_api_token (
    name                VARCHAR(64)              NOT NULL,
    token_sha256        VARCHAR(64)              NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at        TIMESTAMP WITH TIME ZONE,
    revoked_at          TIMESTAMP WITH TIME ZONE,
    CONSTRAINT buildq_api_token_pk PRIMARY KEY (name),
    CONSTRAINT buildq_api_token_hash_uq UNIQUE (token_sha256)
);
