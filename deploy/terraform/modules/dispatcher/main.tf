# The dispatcher: stable on-demand capacity (an Auto Scaling group of exactly one instance, so a
# lost host is replaced) running the dispatcher image, behind an internal Application Load
# Balancer. The job store is PostgreSQL, so a replacement resumes where the old one stopped.

data "aws_region" "current" {}

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0

  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

locals {
  ami_id   = var.ami_id != null ? var.ami_id : nonsensitive(data.aws_ssm_parameter.ami[0].value)
  registry = split("/", var.image)[0]
  region   = data.aws_region.current.name
  https    = var.certificate_arn != null

  environment = merge({
    SPOTBATCH_QUEUE_TYPE             = "sqs"
    SPOTBATCH_QUEUE_WORK             = var.work_queue_name
    SPOTBATCH_QUEUE_EVENTS           = var.events_queue_name
    SPRING_CLOUD_AWS_REGION_STATIC   = local.region
    SPRING_DATASOURCE_URL            = var.jdbc_url
    SPOTBATCH_STORAGE_ALLOWEDROOTS   = join(",", var.allowed_roots)
    SPOTBATCH_STORAGE_STAGINGURI     = var.staging_uri
    # the AWS Auto Scaling provider (dispatcher config AwsFleetConfig): one group per pool
    SPOTBATCH_FLEET_PROVIDER         = "aws"
    SPOTBATCH_FLEET_AWS_REGION       = local.region
    SPOTBATCH_FLEET_AWS_GROUPPREFIX  = var.worker_group_prefix
  },
    # spotbatch.fleet.aws.pools[i].*, in the order of the pools' names
    merge([for i, pool in sort(keys(var.worker_pools)) : {
      "SPOTBATCH_FLEET_AWS_POOLS_${i}_NAME"         = pool
      "SPOTBATCH_FLEET_AWS_POOLS_${i}_GROUP"        = var.worker_pools[pool].group_name
      "SPOTBATCH_FLEET_AWS_POOLS_${i}_INSTANCETYPE" = var.worker_pools[pool].instance_type
      "SPOTBATCH_FLEET_AWS_POOLS_${i}_ZONE"         = var.worker_pools[pool].zone
      "SPOTBATCH_FLEET_AWS_POOLS_${i}_LIFECYCLE"    = var.worker_pools[pool].lifecycle
    }]...),
    # the API keys, hashed (spotbatch.security.keys[i].*)
    merge([for i, k in var.api_keys : {
      "SPOTBATCH_SECURITY_KEYS_${i}_NAME"  = k.name
      "SPOTBATCH_SECURITY_KEYS_${i}_HASH"  = k.sha256
      "SPOTBATCH_SECURITY_KEYS_${i}_ROLES" = join(",", k.roles)
    }]...),
  var.extra_environment)
}

resource "aws_cloudwatch_log_group" "dispatcher" {
  name              = "/spotbatch/${var.name}/dispatcher"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# ---------------------------------------------------------------- network

resource "aws_security_group" "lb" {
  name        = "${var.name}-dispatcher-lb"
  description = "spotbatch API load balancer: clients in"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "lb_clients" {
  for_each = toset(var.client_cidrs)

  security_group_id = aws_security_group.lb.id
  description       = "API clients"
  ip_protocol       = "tcp"
  from_port         = local.https ? 443 : 80
  to_port           = local.https ? 443 : 80
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "lb_to_dispatcher" {
  security_group_id            = aws_security_group.lb.id
  description                  = "to the dispatcher"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.dispatcher.id
}

resource "aws_security_group" "dispatcher" {
  name        = "${var.name}-dispatcher"
  description = "spotbatch dispatcher: API from its load balancer only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "dispatcher_from_lb" {
  security_group_id            = aws_security_group.dispatcher.id
  description                  = "API and health checks from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.lb.id
}

resource "aws_vpc_security_group_egress_rule" "dispatcher_https" {
  security_group_id = aws_security_group.dispatcher.id
  description       = "HTTPS to SQS, S3, ECR, Secrets Manager, Auto Scaling, EC2 (or their VPC endpoints)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "dispatcher_postgres" {
  security_group_id = aws_security_group.dispatcher.id
  description       = "PostgreSQL (the database's own group admits only this group)"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_lb" "api" {
  name                       = "${var.name}-api"
  internal                   = true
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.lb.id]
  subnets                    = var.private_subnet_ids
  drop_invalid_header_fields = true
  # the SSE/long-poll-free API answers fast; a long job submission still fits
  idle_timeout = 120
  tags         = var.tags
}

resource "aws_lb_target_group" "api" {
  name                 = "${var.name}-api"
  port                 = 8080
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/actuator/health/readiness"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = var.tags
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = local.https ? 443 : 80
  protocol          = local.https ? "HTTPS" : "HTTP"
  ssl_policy        = local.https ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : null
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }

  tags = var.tags
}

# ---------------------------------------------------------------- the host

resource "aws_launch_template" "dispatcher" {
  name_prefix            = "${var.name}-dispatcher-"
  description            = "spotbatch dispatcher"
  image_id               = local.ami_id
  instance_type          = var.instance_type
  update_default_version = true
  vpc_security_group_ids = [aws_security_group.dispatcher.id]

  iam_instance_profile {
    name = var.instance_profile_name
  }

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

  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    image       = var.image
    registry    = local.registry
    region      = local.region
    log_group   = aws_cloudwatch_log_group.dispatcher.name
    secret_arn  = var.database_secret_arn
    environment = local.environment
  }))

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-dispatcher" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.name}-dispatcher" })
  }

  tags = var.tags
}

resource "aws_autoscaling_group" "dispatcher" {
  name                      = "${var.name}-dispatcher"
  vpc_zone_identifier       = var.private_subnet_ids
  min_size                  = 1
  max_size                  = 1
  desired_capacity          = 1
  health_check_type         = "ELB"
  health_check_grace_period = 300
  target_group_arns         = [aws_lb_target_group.api.arn]

  launch_template {
    id      = aws_launch_template.dispatcher.id
    version = "$Latest"
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 0
    }
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-dispatcher"
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
}
