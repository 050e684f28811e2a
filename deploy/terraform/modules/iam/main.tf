# Least privilege for the two roles. No action is a wildcard, and every statement names its
# resources; the only "*" resources belong to actions AWS does not scope to a resource
# (ecr:GetAuthorizationToken, the autoscaling and ec2 Describe* calls), listed in local.unscoped.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
  part    = data.aws_partition.current.partition

  # every pool's group: the name prefix is the only way to name groups created per pool
  worker_group_arns = "arn:${local.part}:autoscaling:${local.region}:${local.account}:autoScalingGroup:*:autoScalingGroupName/${var.worker_group_prefix}*"

  input_objects  = [for p in var.input_prefixes : "${var.bucket_arn}/${p}*"]
  output_objects = [for p in var.output_prefixes : "${var.bucket_arn}/${p}*"]
  staging        = "${var.bucket_arn}/${var.staging_prefix}*"
  list_prefixes  = distinct(concat([for p in concat(var.input_prefixes, var.output_prefixes, [var.staging_prefix]) : "${p}*"]))
}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# ---------------------------------------------------------------- both hosts

# What every spotbatch host does, worker or dispatcher: pull its image, write its logs, use the
# keys; each role's policy starts from this one (source_policy_documents).
data "aws_iam_policy_document" "host" {
  statement {
    sid       = "PullImages"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = var.ecr_repository_arns
  }

  statement {
    sid       = "EcrToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for g in var.log_group_arns : "${g}:log-stream:*"]
  }

  dynamic "statement" {
    for_each = length(var.kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "UseKeys"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = var.kms_key_arns
    }
  }
}

# ---------------------------------------------------------------- worker

data "aws_iam_policy_document" "worker" {
  source_policy_documents = [data.aws_iam_policy_document.host.json]

  statement {
    sid = "LeaseWorkItems"
    actions = [
      "sqs:GetQueueUrl",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      # an interrupted or checkpointed item goes back as a continuation (a new message)
      "sqs:SendMessage",
    ]
    resources = [var.work_queue_arn]
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["sqs:GetQueueUrl", "sqs:SendMessage"]
    resources = [var.events_queue_arn]
  }

  statement {
    sid       = "ReadInputs"
    actions   = ["s3:GetObject"]
    resources = concat(local.input_objects, [local.staging])
  }

  statement {
    sid       = "WriteParts"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"]
    resources = local.output_objects
  }

  statement {
    sid       = "ListOwnPrefixes"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.list_prefixes
    }
  }

  statement {
    sid = "CompleteOwnLifecycleHook"
    actions = [
      "autoscaling:CompleteLifecycleAction",
      "autoscaling:RecordLifecycleActionHeartbeat",
    ]
    resources = [local.worker_group_arns]
  }

  # finds its group when the instance tags do not say (LifecycleActionCompleter.groupOf)
  statement {
    sid       = "FindOwnGroup"
    actions   = ["autoscaling:DescribeAutoScalingInstances"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "worker" {
  name               = "${var.name}-worker"
  description        = "spotbatch workers: lease items, read inputs, write parts, complete their lifecycle hook"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "worker" {
  name   = "spotbatch-worker"
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_instance_profile" "worker" {
  name = "${var.name}-worker"
  role = aws_iam_role.worker.name
  tags = var.tags
}

# ---------------------------------------------------------------- dispatcher

data "aws_iam_policy_document" "dispatcher" {
  source_policy_documents = [data.aws_iam_policy_document.host.json]

  statement {
    sid = "Queues"
    actions = [
      "sqs:GetQueueUrl",
      "sqs:GetQueueAttributes",
      "sqs:SendMessage",
      "sqs:ReceiveMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
    ]
    resources = [var.work_queue_arn, var.events_queue_arn]
  }

  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = var.dead_letter_queue_arns
  }

  statement {
    sid       = "PlanInputs"
    actions   = ["s3:GetObject"]
    resources = local.input_objects
  }

  statement {
    sid       = "StageAndManifest"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = concat(local.output_objects, [local.staging])
  }

  statement {
    sid       = "ListPrefixes"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = local.list_prefixes
    }
  }

  statement {
    sid = "ScaleWorkerGroup"
    actions = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:UpdateAutoScalingGroup",
      "autoscaling:SetInstanceProtection",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    resources = [local.worker_group_arns]
  }

  # exactly the Auto Scaling calls of AwsAutoScalingCapacity (deploy-check's IamCoversAwsCallsTest
  # compares them with the code)
  statement {
    sid = "DescribeFleetAndPrices"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeInstances",
      "ec2:DescribeSpotPriceHistory",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "DatabaseCredentials"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.database_secret_arn]
  }
}

resource "aws_iam_role" "dispatcher" {
  name               = "${var.name}-dispatcher"
  description        = "spotbatch dispatcher: plan jobs, enqueue items, apply events, scale the worker group"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "dispatcher" {
  name   = "spotbatch-dispatcher"
  role   = aws_iam_role.dispatcher.id
  policy = data.aws_iam_policy_document.dispatcher.json
}

resource "aws_iam_instance_profile" "dispatcher" {
  name = "${var.name}-dispatcher"
  role = aws_iam_role.dispatcher.name
  tags = var.tags
}
