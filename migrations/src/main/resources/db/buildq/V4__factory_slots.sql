-- Builds running against each Image Factory are limited across every worker: a build takes a slot
-- by becoming RUNNING with its factory's URL while holding that factory's row locked.

CREATE TABLE buildq_factory (
    url                 VARCHAR(1024)            NOT NULL PRIMARY KEY
);

ALTER TABLE buildq_job ADD COLUMN factory_url VARCHAR(1024);
CREATE INDEX buildq_job_factory_ix ON buildq_job (factory_url, status);
