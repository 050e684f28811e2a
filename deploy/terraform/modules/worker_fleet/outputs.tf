output "group_name" {
  description = "Name of the worker Auto Scaling group (the dispatcher's spotbatch.fleet.aws group)."
  value       = aws_autoscaling_group.workers.name
}

output "group_arn" {
  description = "ARN of the worker Auto Scaling group."
  value       = aws_autoscaling_group.workers.arn
}

output "lifecycle_hook_name" {
  description = "The termination lifecycle hook the workers complete."
  value       = local.lifecycle_hook_name
}

output "security_group_id" {
  description = "The workers' security group."
  value       = aws_security_group.workers.id
}

output "launch_template_id" {
  description = "The workers' launch template."
  value       = aws_launch_template.workers.id
}

output "log_group_name" {
  description = "CloudWatch log group of the worker containers."
  value       = aws_cloudwatch_log_group.workers.name
}

output "log_group_arn" {
  description = "ARN of the workers' log group (IAM)."
  value       = aws_cloudwatch_log_group.workers.arn
}
