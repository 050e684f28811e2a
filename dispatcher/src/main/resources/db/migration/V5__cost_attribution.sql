-- Cost attribution (issue 9). Runs on H2 (2.x) and PostgreSQL: only portable types and syntax.

-- what each piece of work processed, and why it has to be done again (null: it counts)
alter table job_usage add column records bigint default 0 not null;
alter table job_usage add column waste varchar(24);
create index job_usage_instance on job_usage (instance_id, at);
create index job_usage_at on job_usage (at);

-- one row per machine (worker process or instance): its billed time, start to exit
create table machine_sessions (
  instance_id   varchar(255)  primary key,
  worker_id     varchar(255)  not null,
  provider      varchar(32)   not null,
  instance_type varchar(64)   not null,
  region        varchar(64)   not null,
  zone          varchar(64)   not null,
  lifecycle     varchar(16)   not null,
  pool          varchar(255),
  started_at    timestamp with time zone not null,
  ended_at      timestamp with time zone,
  ended         varchar(16)   not null,
  interruption  varchar(24)
);
create index machine_sessions_started on machine_sessions (started_at);
