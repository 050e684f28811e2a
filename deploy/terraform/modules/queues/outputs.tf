output "work_queue_name" {
  description = "spotbatch.queue.work for the dispatcher and the workers."
  value       = aws_sqs_queue.main["work"].name
}

output "events_queue_name" {
  description = "spotbatch.queue.events for the dispatcher and the workers."
  value       = aws_sqs_queue.main["events"].name
}

output "work_queue_arn" {
  description = "ARN of the work queue (IAM)."
  value       = aws_sqs_queue.main["work"].arn
}

output "events_queue_arn" {
  description = "ARN of the events queue (IAM)."
  value       = aws_sqs_queue.main["events"].arn
}

output "work_dlq_arn" {
  description = "ARN of the work queue's dead-letter queue."
  value       = aws_sqs_queue.dlq["work"].arn
}

output "events_dlq_arn" {
  description = "ARN of the events queue's dead-letter queue."
  value       = aws_sqs_queue.dlq["events"].arn
}

output "work_dlq_name" {
  description = "Name of the work queue's dead-letter queue (alarms)."
  value       = aws_sqs_queue.dlq["work"].name
}

output "events_dlq_name" {
  description = "Name of the events queue's dead-letter queue (alarms)."
  value       = aws_sqs_queue.dlq["events"].name
}

output "kms_key_arn" {
  description = "The KMS key the queues use, or null for SSE-SQS."
  value       = var.kms_key_arn
}
