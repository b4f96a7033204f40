-- A durable trail: every history entry records the factory image and the provider's identifier the
-- row had then, so that an image buildq ever created (adopted, duplicated, lost, retried) can always
-- be found again, even after a retry forgot it on the row.
ALTER TABLE buildq_job_history ADD COLUMN factory_image_id VARCHAR(64);
ALTER TABLE buildq_job_history ADD COLUMN identifier_on_provider VARCHAR(255);
