-- Pushes: a job row per (target build, provider account), waiting on its build's row, and the
-- account's credentials sealed (AES-GCM) in a table of their own, deleted when the push ends.

ALTER TABLE buildq_job DROP CONSTRAINT buildq_job_target_uq;
ALTER TABLE buildq_job ADD COLUMN provider_name VARCHAR(255) DEFAULT '' NOT NULL;
ALTER TABLE buildq_job ADD COLUMN account_identifier VARCHAR(255) DEFAULT '' NOT NULL;
ALTER TABLE buildq_job ADD COLUMN factory_provider VARCHAR(4096);
ALTER TABLE buildq_job ADD COLUMN parent_job_id UUID;
ALTER TABLE buildq_job ADD COLUMN identifier_on_provider VARCHAR(255);
ALTER TABLE buildq_job ADD CONSTRAINT buildq_job_parent_fk FOREIGN KEY (parent_job_id) REFERENCES buildq_job (id);
ALTER TABLE buildq_job ADD CONSTRAINT buildq_job_work_uq UNIQUE (request_id, kind, target, provider_name, account_identifier);
CREATE INDEX buildq_job_parent_ix ON buildq_job (parent_job_id);

CREATE TABLE buildq_credentials (
    job_id              UUID                     NOT NULL PRIMARY KEY REFERENCES buildq_job (id),
    -- base64 of nonce || ciphertext || tag; the job id is the associated data.
    sealed              VARCHAR(131072)          NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
