-- The Conductor pool family a build request names: the worker writes it as the iwhd image's
-- `environment`, by which Conductor lists and authorises images. Null when the request names none.

ALTER TABLE buildq_request ADD COLUMN pool_family VARCHAR(255);
