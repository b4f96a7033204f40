-- Provider accounts registered by name through the HTTP API (PUT /v1/accounts/{name}), so that a
-- client asks for a catalog or a push by name instead of sending credentials each time. The
-- credentials are sealed (AES-GCM) with the installation's key, bound to the account's id.
CREATE TABLE buildq_account (
    name                VARCHAR(255)             NOT NULL,
    id                  UUID                     NOT NULL,
    target              VARCHAR(64)              NOT NULL,
    factory_provider    VARCHAR(8192)            NOT NULL,
    account_identifier  VARCHAR(255)             NOT NULL,
    sealed              VARCHAR(131072)          NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT buildq_account_pk PRIMARY KEY (name)
);
