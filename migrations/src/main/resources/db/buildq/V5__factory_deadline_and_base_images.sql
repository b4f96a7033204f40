-- When factory accepted the current attempt's image: a build past its deadline from then is taken
-- as lost by factory (an image interrupted by a factory restart reads NEW forever).
ALTER TABLE buildq_job ADD COLUMN factory_started_at TIMESTAMP WITH TIME ZONE;

-- One OS install per build, as Tim did it: the first target of a request builds factory's base
-- image from the template, the others name that base image. One row per request that has one.
CREATE TABLE buildq_base_image (
    request_id          UUID                     NOT NULL PRIMARY KEY REFERENCES buildq_request (id),
    -- The build job that POSTs the template; the others wait for its base image id.
    owner_job_id        UUID                     NOT NULL REFERENCES buildq_job (id),
    factory_url         VARCHAR(1024)            NOT NULL,
    -- Null while the owner's POST is in flight.
    base_image_id       VARCHAR(64),
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
