output "alarm_topic_arn" {
  description = "The SNS topic the alarms notify."
  value       = local.topic_arn
}

output "alarm_names" {
  description = "Names of every alarm."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.dlq_not_empty : a.alarm_name],
    [aws_cloudwatch_metric_alarm.backlog_old.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.dispatcher_unhealthy : a.alarm_name],
  )
}
