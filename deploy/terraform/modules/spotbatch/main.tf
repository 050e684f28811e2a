# One spotbatch stack in one region: queues, bucket, database, roles, dispatcher, spot worker fleet
# and alarms. The examples call this module once (single-region) or once per region.

locals {
  tags = merge({ "spotbatch:stack" = var.name }, var.tags)

  allowed_roots = [for p in concat(var.input_prefixes, var.output_prefixes) : "s3://${var.bucket_name}/${p}"]
  # the worker reads staged inline records too
  worker_roots = concat(local.allowed_roots, ["s3://${var.bucket_name}/spotbatch-staging/"])

  # worker_fleet names every pool's group with this prefix; the roles are scoped to it
  worker_group_prefix = "${var.name}-w-"

  # 123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag -> arn:aws:ecr:us-east-1:123456789012:repository/repo
  ecr_repository_arns = distinct([
    for image in [var.dispatcher_image, var.worker_image] :
    format("arn:aws:ecr:%s:%s:repository/%s",
      regex("^[0-9]{12}\\.dkr\\.ecr\\.([a-z0-9-]+)\\.", image)[0],
      regex("^([0-9]{12})\\.", image)[0],
      regex("^[^/]+/([^:@]+)", image)[0])
  ])
}

module "queues" {
  source = "../queues"

  name              = var.name
  lease_seconds     = var.lease_seconds
  max_attempts      = var.max_attempts
  max_receive_count = var.max_receive_count
  kms_key_arn       = var.kms_key_arn
  tags              = local.tags
}

module "storage" {
  source = "../storage"

  bucket_name    = var.bucket_name
  staging_prefix = "spotbatch-staging/"
  kms_key_arn    = var.kms_key_arn
  tags           = local.tags
}

module "iam" {
  source = "../iam"

  name                   = var.name
  work_queue_arn         = module.queues.work_queue_arn
  events_queue_arn       = module.queues.events_queue_arn
  dead_letter_queue_arns = [module.queues.work_dlq_arn, module.queues.events_dlq_arn]
  bucket_arn             = module.storage.bucket_arn
  input_prefixes         = var.input_prefixes
  output_prefixes        = var.output_prefixes
  staging_prefix         = "spotbatch-staging/"
  worker_group_prefix    = local.worker_group_prefix
  database_secret_arn    = module.database.credentials_secret_arn
  kms_key_arns           = var.kms_key_arn == null ? [] : [var.kms_key_arn]
  ecr_repository_arns    = local.ecr_repository_arns
  log_group_arns         = [module.dispatcher.log_group_arn, module.worker_fleet.log_group_arn]
  tags                   = local.tags
}

module "database" {
  source = "../database"

  name                      = var.name
  vpc_id                    = var.vpc_id
  private_subnet_ids        = var.private_subnet_ids
  client_security_group_ids = [module.dispatcher.security_group_id]
  multi_az                  = var.database_multi_az
  deletion_protection       = var.database_deletion_protection
  kms_key_arn               = var.kms_key_arn
  tags                      = local.tags
}

module "dispatcher" {
  source = "../dispatcher"

  name                  = var.name
  vpc_id                = var.vpc_id
  private_subnet_ids    = var.private_subnet_ids
  image                 = var.dispatcher_image
  instance_profile_name = module.iam.dispatcher_instance_profile_name
  client_cidrs          = var.client_cidrs
  certificate_arn       = var.certificate_arn
  api_keys              = var.api_keys
  jdbc_url              = module.database.jdbc_url
  database_secret_arn   = module.database.credentials_secret_arn
  work_queue_name       = module.queues.work_queue_name
  events_queue_name     = module.queues.events_queue_name
  allowed_roots         = local.allowed_roots
  staging_uri           = module.storage.staging_uri
  worker_group_prefix   = local.worker_group_prefix
  worker_pools          = module.worker_fleet.pools
  kms_key_arn           = var.kms_key_arn
  tags                  = local.tags
}

module "worker_fleet" {
  source = "../worker_fleet"

  name                            = var.name
  vpc_id                          = var.vpc_id
  subnet_ids                      = var.private_subnet_ids
  image                           = var.worker_image
  device                          = var.device
  instance_types                  = var.worker_instance_types
  on_demand_instance_types        = var.on_demand_instance_types
  max_per_pool                    = var.max_per_pool
  drain_timeout_seconds           = var.drain_timeout_seconds
  lease_seconds                   = var.lease_seconds
  instance_profile_name           = module.iam.worker_instance_profile_name
  work_queue_name                 = module.queues.work_queue_name
  events_queue_name               = module.queues.events_queue_name
  allowed_roots                   = local.worker_roots
  kms_key_arn                     = var.kms_key_arn
  tags                            = local.tags
}

module "monitoring" {
  source = "../monitoring"

  name                     = var.name
  work_queue_name          = module.queues.work_queue_name
  dead_letter_queue_names  = [module.queues.work_dlq_name, module.queues.events_dlq_name]
  max_backlog_age_seconds  = var.max_backlog_age_seconds
  target_group_arn_suffix  = module.dispatcher.target_group_arn_suffix
  load_balancer_arn_suffix = module.dispatcher.load_balancer_arn_suffix
  alarm_topic_arn          = var.alarm_topic_arn
  tags                     = local.tags
}
