-- Runs on H2 (2.x) and PostgreSQL: only portable types and syntax.
create table jobs (
  id            varchar(64)   primary key,
  name          varchar(255)  not null,
  status        varchar(16)   not null,
  model         varchar(128)  not null,
  input_uri     varchar(2048) not null,
  input_format  varchar(16)   not null,
  text_field    varchar(255)  not null,
  id_field      varchar(255)  not null,
  output_uri    varchar(2048) not null,
  item_bytes    bigint        not null,
  max_attempts  integer       not null,
  reason        varchar(4000),
  manifest_uri  varchar(2048),
  created_at    timestamp with time zone not null,
  started_at    timestamp with time zone,
  finished_at   timestamp with time zone
);
create index jobs_created on jobs (created_at);
create index jobs_status on jobs (status);

create table items (
  item_id       varchar(96)   primary key,
  job_id        varchar(64)   not null references jobs (id),
  idx           integer       not null,
  input_uri     varchar(2048) not null,
  input_name    varchar(1024) not null,
  range_start   bigint        not null,
  range_end     bigint        not null,
  status        varchar(16)   not null,
  failures      integer       not null,
  interruptions integer       not null,
  last_error    varchar(4000),
  updated_at    timestamp with time zone not null
);
create index items_job_status on items (job_id, status);

create table parts (
  job_id        varchar(64)   not null references jobs (id),
  path          varchar(1024) not null,
  item_id       varchar(96)   not null,
  kind          varchar(8)    not null,
  records       bigint        not null,
  range_start   bigint        not null,
  range_end     bigint        not null,
  primary key (job_id, path)
);

create table failures (
  event_id      varchar(128)  primary key,
  job_id        varchar(64)   not null references jobs (id),
  item_id       varchar(96)   not null,
  reason        varchar(4000) not null,
  failures      integer       not null,
  terminal      boolean       not null,
  worker_id     varchar(255)  not null,
  at            timestamp with time zone not null
);
create index failures_job on failures (job_id, at);

-- one row per applied event: machine-seconds for cost, and the event-id idempotency key
create table job_usage (
  event_id        varchar(128)  primary key,
  job_id          varchar(64)   not null,
  item_id         varchar(96)   not null,
  worker_id       varchar(255)  not null,
  provider        varchar(32)   not null,
  instance_id     varchar(255)  not null,
  instance_type   varchar(64)   not null,
  region          varchar(64)   not null,
  zone            varchar(64)   not null,
  lifecycle       varchar(16)   not null,
  machine_seconds double precision not null,
  at              timestamp with time zone not null
);
create index job_usage_job on job_usage (job_id);
