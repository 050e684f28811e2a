-- Issue 13: a job chooses how its result parts are written ("output": {"format": "jsonl"|"npy"}).
-- Runs on H2 (2.x) and PostgreSQL: only portable types and syntax. Jobs from before are JSON lines.
alter table jobs add column output_format varchar(16) default 'jsonl' not null;
