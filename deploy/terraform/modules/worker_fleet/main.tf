# The spot worker fleet in issue 8's layout: one Auto Scaling group per pool (instance type x zone
# x lifecycle), so the dispatcher's autoscaler sets a count per pool and a failed launch names its
# pool. Spot groups use a mixed-instances policy with their one type (no on-demand share,
# price-capacity-optimized); on-demand groups the same policy at 100 % on-demand. Every group has
# one subnet, a termination lifecycle hook the worker completes after its drain, and instances
# protected from scale-in: only the dispatcher removes a worker, an idle one, by lifting its
# protection and terminating it.

data "aws_region" "current" {}

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0

  name = var.device == "gpu" ? "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id" : "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

data "aws_subnet" "selected" {
  for_each = toset(var.subnet_ids)

  id = each.value
}

locals {
  group_prefix        = "${var.name}-w-"
  lifecycle_hook_name = "${var.name}-drain"
  zones               = { for id, s in data.aws_subnet.selected : id => s.availability_zone }
  weights             = { for t in var.instance_types : t.instance_type => t.weight }

  # every type x every subnet (zone): the spot pools, then the on-demand pools
  spot_pools = [
    for pair in setproduct([for t in var.instance_types : t.instance_type], var.subnet_ids) :
    { lifecycle = "spot", instance_type = pair[0], subnet_id = pair[1] }
  ]
  on_demand_pools = [
    for pair in setproduct(var.on_demand_instance_types, var.subnet_ids) :
    { lifecycle = "on-demand", instance_type = pair[0], subnet_id = pair[1] }
  ]

  # pool name (the autoscaler's) => where it runs; "spot.g5.xlarge.us-east-1a"
  pools = {
    for p in concat(local.spot_pools, local.on_demand_pools) :
    join(".", [p.lifecycle, p.instance_type, local.zones[p.subnet_id]]) => merge(p, {
      zone   = local.zones[p.subnet_id]
      weight = lookup(local.weights, p.instance_type, 1)
    })
  }

  ami_id              = var.ami_id != null ? var.ami_id : nonsensitive(data.aws_ssm_parameter.ami[0].value)
  registry            = split("/", var.image)[0]
  region              = data.aws_region.current.name

  environment = merge({
    SPOTBATCH_QUEUE_TYPE                    = "sqs"
    SPOTBATCH_QUEUE_WORK                    = var.work_queue_name
    SPOTBATCH_QUEUE_EVENTS                  = var.events_queue_name
    SPRING_CLOUD_AWS_REGION_STATIC          = local.region
    SPOTBATCH_WORKER_ALLOWEDROOTS           = join(",", var.allowed_roots)
    SPOTBATCH_WORKER_DEVICE                 = var.device == "gpu" ? "auto" : "cpu"
    SPOTBATCH_WORKER_CONCURRENCY            = tostring(var.concurrency)
    SPOTBATCH_WORKER_LEASETIME              = "${var.lease_seconds}s"
    SPOTBATCH_WORKER_NOTICE_PROVIDER        = "aws"
    SPOTBATCH_WORKER_NOTICE_LIFECYCLEGRACE  = "${var.drain_timeout_seconds - 10}s"
    SPOTBATCH_WORKER_SHUTDOWNGRACE          = "${var.drain_timeout_seconds - 10}s"
    # the hook the worker completes after its drain (every pool's group has it) and its heartbeat
    # timeout; the group itself comes from the instance's tag aws:autoscaling:groupName (metadata
    # tags are on). The drain's deadline (lifecycle grace) ends 10 s before the hook times out, so
    # a heartbeat is needed only when an operator lengthens the grace.
    SPOTBATCH_WORKER_AWS_LIFECYCLEHOOK    = local.lifecycle_hook_name
    SPOTBATCH_WORKER_AWS_HEARTBEATTIMEOUT = "${var.drain_timeout_seconds}s"
  }, var.extra_environment)
}

resource "aws_cloudwatch_log_group" "workers" {
  name              = "/spotbatch/${var.name}/workers"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_security_group" "workers" {
  name        = "${var.name}-workers"
  description = "spotbatch workers: no inbound except metrics; outbound to AWS APIs"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.workers.id
  description       = "HTTPS to SQS, S3, ECR, CloudWatch and Auto Scaling (or their VPC endpoints)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "metrics" {
  for_each = toset(var.metrics_source_security_group_ids)

  security_group_id            = aws_security_group.workers.id
  description                  = "Prometheus scrapes /actuator/prometheus"
  ip_protocol                  = "tcp"
  from_port                    = 8081
  to_port                      = 8081
  referenced_security_group_id = each.value
}

resource "aws_launch_template" "workers" {
  name_prefix            = "${var.name}-workers-"
  description            = "spotbatch worker (${var.device})"
  image_id               = local.ami_id
  update_default_version = true
  # a worker that exits after its drain (a rebalance recommendation, a notice) shuts its host down
  # (user data); the group then replaces the terminated instance
  instance_initiated_shutdown_behavior = "terminate"
  vpc_security_group_ids = [aws_security_group.workers.id]

  iam_instance_profile {
    name = var.instance_profile_name
  }

  # IMDSv2 only. Hop limit 2: the worker runs in a container (one more hop) and reads spot
  # notices, the ASG lifecycle state and its instance facts from the metadata service.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.root_volume_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    image          = var.image
    registry       = local.registry
    region         = local.region
    gpu            = var.device == "gpu"
    log_group      = aws_cloudwatch_log_group.workers.name
    stop_timeout   = var.drain_timeout_seconds
    environment    = local.environment
  }))

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-worker" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.name}-worker" })
  }

  tags = var.tags
}

resource "aws_autoscaling_group" "pool" {
  for_each = local.pools

  name                      = "${local.group_prefix}${each.value.lifecycle}-${replace(each.value.instance_type, ".", "-")}-${each.value.zone}"
  vpc_zone_identifier       = [each.value.subnet_id]
  min_size                  = 0
  max_size                  = var.max_per_pool
  capacity_rebalance        = each.value.lifecycle == "spot" ? var.capacity_rebalance : false
  protect_from_scale_in     = true
  health_check_type         = "EC2"
  health_check_grace_period = 300
  default_instance_warmup   = 120
  metrics_granularity       = "1Minute"
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances"]

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = each.value.lifecycle == "spot" ? 0 : 100
      on_demand_allocation_strategy            = "lowest-price"
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.workers.id
        version            = "$Latest"
      }

      override {
        instance_type = each.value.instance_type
      }
    }
  }

  # Created with the group, so no instance ever starts without it: an instance leaving the group
  # waits in Terminating:Wait until its worker has drained and called CompleteLifecycleAction
  # (CONTINUE), or until the timeout passes.
  initial_lifecycle_hook {
    name                 = local.lifecycle_hook_name
    lifecycle_transition = "autoscaling:EC2_INSTANCE_TERMINATING"
    default_result       = "CONTINUE"
    heartbeat_timeout    = var.drain_timeout_seconds
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-worker"
    propagate_at_launch = true
  }

  # the autoscaler finds its pools by this tag; the worker reads its hook from it (metadata tags)
  tag {
    key                 = "spotbatch:pool"
    value               = each.key
    propagate_at_launch = true
  }

  tag {
    key                 = "spotbatch:lifecycle-hook"
    value               = local.lifecycle_hook_name
    propagate_at_launch = true
  }

  dynamic "tag" {
    for_each = var.tags

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # the dispatcher's autoscaler owns the desired capacity of every pool
    ignore_changes = [desired_capacity]

    precondition {
      condition     = var.drain_timeout_seconds >= 120
      error_message = "drain_timeout_seconds must cover a spot notice's two minutes (>= 120 s)."
    }
  }
}
