-- What Image Factory may still hold for a job that no running job cleans up after: the image (and
-- whatever an unanswered start made) of a row cancelled while no worker ran it, or whose worker died;
-- and the second image of a start that was asked again after a search by its marker found nothing
-- while factory was still handling the first POST. Written in the transaction that cancels the row,
-- or by the worker that starts again; a worker's sweeper deletes what factory holds of it once no
-- start of the row can still be in factory's hands (created_at plus the worker's settle time), and
-- then deletes the record. due_at and tries pace the sweeps that failed (factory unreachable).
CREATE TABLE buildq_factory_sweep (
    job_id              UUID                     NOT NULL REFERENCES buildq_job (id),
    marker              VARCHAR(128)             NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    tries               INTEGER                  NOT NULL DEFAULT 0,
    CONSTRAINT buildq_factory_sweep_pk PRIMARY KEY (job_id, marker)
);

CREATE INDEX buildq_factory_sweep_due ON buildq_factory_sweep (due_at);
