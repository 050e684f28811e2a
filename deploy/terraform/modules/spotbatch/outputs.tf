output "api_url" {
  description = "The REST API (internal load balancer)."
  value       = module.dispatcher.api_url
}

output "bucket_name" {
  description = "The data bucket."
  value       = module.storage.bucket_name
}

output "input_root" {
  description = "Where to upload inputs (s3://bucket/inputs/)."
  value       = "s3://${module.storage.bucket_name}/${var.input_prefixes[0]}"
}

output "output_root" {
  description = "Where jobs may write (s3://bucket/outputs/)."
  value       = "s3://${module.storage.bucket_name}/${var.output_prefixes[0]}"
}

output "work_queue_name" {
  description = "The work queue."
  value       = module.queues.work_queue_name
}

output "worker_group_prefix" {
  description = "Name prefix of the worker pools' Auto Scaling groups."
  value       = module.worker_fleet.group_prefix
}

output "worker_pools" {
  description = "Pool name => group, instance type, zone, lifecycle and weight: the dispatcher's AWS pools."
  value       = module.worker_fleet.pools
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms: subscribe to it."
  value       = module.monitoring.alarm_topic_arn
}

output "dispatcher_log_group" {
  description = "CloudWatch log group of the dispatcher."
  value       = module.dispatcher.log_group_name
}

output "worker_log_group" {
  description = "CloudWatch log group of the workers."
  value       = module.worker_fleet.log_group_name
}
