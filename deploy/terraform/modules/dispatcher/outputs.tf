output "api_url" {
  description = "Base URL of the REST API (internal load balancer; reachable from client_cidrs only)."
  value       = "${local.https ? "https" : "http"}://${aws_lb.api.dns_name}"
}

output "security_group_id" {
  description = "The dispatcher's security group (the database admits it)."
  value       = aws_security_group.dispatcher.id
}

output "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimensions)."
  value       = aws_lb.api.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (CloudWatch dimensions)."
  value       = aws_lb_target_group.api.arn_suffix
}

output "log_group_name" {
  description = "CloudWatch log group of the dispatcher."
  value       = aws_cloudwatch_log_group.dispatcher.name
}

output "log_group_arn" {
  description = "ARN of the dispatcher's log group (IAM)."
  value       = aws_cloudwatch_log_group.dispatcher.arn
}
