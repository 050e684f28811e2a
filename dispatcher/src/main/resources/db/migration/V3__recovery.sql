-- Recovery (issue 10): when the reconciler last re-sent an item and how often, so an item it
-- re-sent is not re-sent again before its lease plus the margin have passed. Runs on H2 and
-- PostgreSQL.
alter table items add column resent_at timestamp with time zone;
alter table items add column resends integer default 0 not null;
-- the reconciler asks, per item, whether any event arrived since a cutoff
create index job_usage_item_at on job_usage (item_id, at);
