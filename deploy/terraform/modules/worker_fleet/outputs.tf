output "group_prefix" {
  description = "Every pool's group name starts with this (IAM scopes the roles to it)."
  value       = local.group_prefix
}

output "pools" {
  description = "Pool name => its group, instance type, zone, lifecycle and weight: the dispatcher's AWS pools (AsgPool) and their throughput priors."
  value = {
    for k, p in local.pools : k => {
      group_name    = aws_autoscaling_group.pool[k].name
      instance_type = p.instance_type
      zone          = p.zone
      lifecycle     = p.lifecycle
      weight        = p.weight
    }
  }
}

output "group_arns" {
  description = "ARNs of the pools' groups."
  value       = [for g in aws_autoscaling_group.pool : g.arn]
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
