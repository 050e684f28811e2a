output "worker_instance_profile_name" {
  description = "Instance profile of the worker launch template."
  value       = aws_iam_instance_profile.worker.name
}

output "worker_role_arn" {
  description = "The workers' role."
  value       = aws_iam_role.worker.arn
}

output "dispatcher_instance_profile_name" {
  description = "Instance profile of the dispatcher launch template."
  value       = aws_iam_instance_profile.dispatcher.name
}

output "dispatcher_role_arn" {
  description = "The dispatcher's role."
  value       = aws_iam_role.dispatcher.arn
}
