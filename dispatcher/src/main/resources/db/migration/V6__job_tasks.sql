-- Runs on H2 (2.x) and PostgreSQL: only portable types and syntax.
-- What each record of a job goes through (tasks, the model by name or by location with its
-- digest, options), as JSON; jobs without a row are of the original shape: embed with jobs.model.
-- No foreign key, so that deleting old jobs needs no change here.
create table job_tasks (
  job_id        varchar(64)      primary key,
  model_uri     varchar(2048),
  model_digest  varchar(80),
  spec          varchar(1000000) not null
);
