# CloudWatch alarms that need no Prometheus: a dead-letter queue that holds anything, a backlog
# whose oldest item is old, and a dispatcher the load balancer finds unhealthy.
# deploy/monitoring/ has the Prometheus rules and Grafana dashboard for the rest.

resource "aws_sns_topic" "alarms" {
  count = var.alarm_topic_arn == null ? 1 : 0

  name              = "${var.name}-alarms"
  kms_master_key_id = "alias/aws/sns"
  tags              = var.tags
}

locals {
  topic_arn = var.alarm_topic_arn != null ? var.alarm_topic_arn : aws_sns_topic.alarms[0].arn
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each = toset(var.dead_letter_queue_names)

  alarm_name          = "${each.value}-not-empty"
  alarm_description   = "Messages reached ${each.value}: items whose leases were lost again and again. The dispatcher marks them failed; look at GET /api/v1/jobs/{id}/failures and the worker logs."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [local.topic_arn]
  ok_actions          = [local.topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "backlog_old" {
  alarm_name          = "${var.work_queue_name}-backlog-old"
  alarm_description   = "The oldest work item has waited over ${var.max_backlog_age_seconds} s: no worker is leasing (fleet at zero, launches failing, or workers crashing)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = var.work_queue_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.max_backlog_age_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = [local.topic_arn]
  ok_actions          = [local.topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dispatcher_unhealthy" {
  count = var.target_group_arn_suffix == null ? 0 : 1

  alarm_name          = "${var.name}-dispatcher-unhealthy"
  alarm_description   = "The dispatcher fails its readiness check: jobs cannot be submitted and events are not applied."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  dimensions          = { TargetGroup = var.target_group_arn_suffix, LoadBalancer = var.load_balancer_arn_suffix }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [local.topic_arn]
  ok_actions          = [local.topic_arn]
  tags                = var.tags
}
