-- Retention (the worker's RowRetention) looks for old requests oldest first, and asks of each whether
-- its image has a newer one; the catalog and the status page ask for an image's requests too.
CREATE INDEX buildq_request_created_ix ON buildq_request (created_at);
CREATE INDEX buildq_request_image_ix ON buildq_request (image_id, created_at);
-- Progress estimates read a target's most recent completed builds.
CREATE INDEX buildq_job_target_done_ix ON buildq_job (target, status, finished_at);
-- The status page lists an image's builds (by name) newest first.
CREATE INDEX buildq_request_name_ix ON buildq_request (image_name, created_at);
-- The JSON lists (/api/builds, GET /v1/jobs) read the newest jobs first.
CREATE INDEX buildq_job_created_ix ON buildq_job (created_at);
