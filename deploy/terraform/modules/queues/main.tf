# The work and events queues, each with a dead-letter queue. The redrive is a backstop set above
# maxAttempts: spotbatch counts failures itself and re-sends an interrupted item as a new message,
# so SQS's receive count only reaches max_receive_count when leases were lost again and again.

locals {
  sse_sqs     = var.kms_key_arn == null
  kms_key_id  = var.kms_key_arn
  kms_reuse_s = var.kms_key_arn == null ? null : 300

  queues = {
    work = {
      visibility = var.lease_seconds
    }
    events = {
      visibility = var.events_visibility_seconds
    }
  }
}

resource "aws_sqs_queue" "dlq" {
  for_each = local.queues

  name                              = "${var.name}-${each.key}-dlq"
  message_retention_seconds         = var.retention_seconds
  sqs_managed_sse_enabled           = local.sse_sqs ? true : null
  kms_master_key_id                 = local.kms_key_id
  kms_data_key_reuse_period_seconds = local.kms_reuse_s
  tags                              = merge(var.tags, { "spotbatch:queue" = "${each.key}-dlq" })
}

resource "aws_sqs_queue" "main" {
  for_each = local.queues

  name                              = "${var.name}-${each.key}"
  visibility_timeout_seconds        = each.value.visibility
  message_retention_seconds         = var.retention_seconds
  receive_wait_time_seconds         = 20
  sqs_managed_sse_enabled           = local.sse_sqs ? true : null
  kms_master_key_id                 = local.kms_key_id
  kms_data_key_reuse_period_seconds = local.kms_reuse_s

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = var.max_receive_count
  })

  tags = merge(var.tags, { "spotbatch:queue" = each.key })

  lifecycle {
    precondition {
      condition     = var.max_receive_count > var.max_attempts
      error_message = "max_receive_count must be above max_attempts: the dead-letter queue is a backstop, spotbatch decides when an item has failed."
    }
  }
}

# Only its own source queue may send to a dead-letter queue.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = local.queues

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.main[each.key].arn]
  })
}
