-- Exactly once: before a worker asks factory for an image it records the marker the request carries
-- in the image's parameters. A row with a marker and no factory image id may have an image factory
-- accepted without the worker hearing of it; the next try looks for the marker before it asks again.
ALTER TABLE buildq_job ADD COLUMN start_marker VARCHAR(128);
