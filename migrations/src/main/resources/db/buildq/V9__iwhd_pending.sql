-- What iwhd still has to be told once every job of a kind of a request has ended (the image's
-- latest_unpushed or latest_build): written in the transaction that ends the last job, done by the
-- worker after the commit, outside any row lock, and by the reconciler if that worker died first.
CREATE TABLE buildq_iwhd_pending (
    request_id          UUID                     NOT NULL REFERENCES buildq_request (id),
    kind                VARCHAR(16)              NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT buildq_iwhd_pending_pk PRIMARY KEY (request_id, kind)
);
