-- V5 made the column 24 characters wide, but notice kinds run longer
-- ('aws_lifecycle_termination' is 25, 'aws_rebalance_recommendation' 28): every such
-- interruption failed the event batch that carried it. SET DATA TYPE works on H2 and PostgreSQL.
alter table machine_sessions alter column interruption set data type varchar(64);
