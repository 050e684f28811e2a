-- Issue 8: a job may carry a deadline and a priority; the autoscaler sizes the fleet for them.
-- Runs on H2 (2.x) and PostgreSQL: only portable types and syntax.
alter table jobs add column deadline timestamp with time zone;
alter table jobs add column priority integer default 0 not null;
