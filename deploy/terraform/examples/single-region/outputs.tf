output "api_url" {
  description = "The REST API (from inside the VPC or client_cidrs)."
  value       = module.spotbatch.api_url
}

output "input_root" {
  description = "Upload inputs here."
  value       = module.spotbatch.input_root
}

output "output_root" {
  description = "Point job outputs here."
  value       = module.spotbatch.output_root
}

output "worker_pools" {
  description = "The worker pools and their Auto Scaling groups."
  value       = module.spotbatch.worker_pools
}

output "alarm_topic_arn" {
  description = "Subscribe to this topic for the alarms."
  value       = module.spotbatch.alarm_topic_arn
}
