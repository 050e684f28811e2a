variable "name" {
  description = "Prefix of the dispatcher's group, load balancer, security groups and log group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,24}$", var.name))
    error_message = "name must be 1-24 letters, digits or hyphens (load balancer names are short)."
  }
}

variable "vpc_id" {
  description = "VPC of the dispatcher."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (2+ zones) for the instance and the internal load balancer."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "An internal load balancer needs subnets in at least two availability zones."
  }
}

variable "image" {
  description = "The dispatcher image (docker/dispatcher.Dockerfile) in ECR, by version tag or digest."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.image)) && !can(regex(":latest$", var.image))
    error_message = "image must be an ECR image with a version tag or a digest (not :latest)."
  }
}

variable "instance_type" {
  description = "On-demand instance type of the dispatcher (stable capacity: never spot)."
  type        = string
  default     = "m7i.large"
}

variable "ami_id" {
  description = "AMI of the dispatcher host; null takes the latest ECS-optimized Amazon Linux 2023 AMI from SSM (Docker and the AWS CLI included)."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be an AMI id (ami-...) or null."
  }
}

variable "instance_profile_name" {
  description = "The dispatcher's instance profile (iam module)."
  type        = string
}

variable "client_cidrs" {
  description = "CIDR blocks allowed to reach the API through the internal load balancer (your VPN, CI, the VPC)."
  type        = list(string)

  validation {
    condition     = length(var.client_cidrs) > 0 && alltrue([for c in var.client_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "client_cidrs must be valid CIDR blocks, and not 0.0.0.0/0: the API is private."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for an HTTPS listener on 443; null serves plain HTTP on 80 inside the VPC only."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN or null."
  }
}

variable "jdbc_url" {
  description = "spring.datasource.url (database module)."
  type        = string

  validation {
    condition     = can(regex("^jdbc:postgresql://", var.jdbc_url))
    error_message = "jdbc_url must be a PostgreSQL JDBC URL."
  }
}

variable "database_secret_arn" {
  description = "Secrets Manager secret with the database username and password (read on the host at start, never stored in Terraform)."
  type        = string
}

variable "work_queue_name" {
  description = "spotbatch.queue.work."
  type        = string
}

variable "events_queue_name" {
  description = "spotbatch.queue.events."
  type        = string
}

variable "allowed_roots" {
  description = "spotbatch.storage.allowed-roots: the s3:// locations jobs may read from and write to."
  type        = list(string)

  validation {
    condition     = length(var.allowed_roots) > 0 && alltrue([for r in var.allowed_roots : startswith(r, "s3://") && endswith(r, "/")])
    error_message = "allowed_roots must be s3://bucket/prefix/ locations ending in '/'."
  }
}

variable "staging_uri" {
  description = "spotbatch.storage.staging-uri (storage module)."
  type        = string

  validation {
    condition     = can(regex("^s3://[^/]+/(.*/)?$", var.staging_uri))
    error_message = "staging_uri must be an s3:// location ending in '/'."
  }
}

variable "worker_group_prefix" {
  description = "Name prefix of the worker pools' Auto Scaling groups the dispatcher's autoscaler drives (each group is also tagged spotbatch:pool)."
  type        = string
}

variable "worker_pools" {
  description = "The worker pools the dispatcher's autoscaler drives (worker_fleet's pools output): pool name => its Auto Scaling group, instance type, zone and lifecycle; passed as spotbatch.fleet.aws.pools[i].*."
  type = map(object({
    group_name    = string
    instance_type = string
    zone          = string
    lifecycle     = string
  }))

  validation {
    condition     = length(var.worker_pools) > 0 && alltrue([for p in values(var.worker_pools) : contains(["spot", "on-demand"], p.lifecycle)])
    error_message = "worker_pools must name at least one pool, each with lifecycle spot or on-demand."
  }
}

variable "api_keys" {
  description = "API keys of the dispatcher (spotbatch.security.keys): a name, the SHA-256 hex of the token (printf %s \"$TOKEN\" | sha256sum; the token itself never goes into Terraform) and roles: jobs (submit and read jobs), fleet (operate the fleet, read metrics)."
  type = list(object({
    name   = string
    sha256 = string
    roles  = list(string)
  }))

  validation {
    condition     = length(var.api_keys) >= 1 && alltrue([for k in var.api_keys : can(regex("^[0-9a-f]{64}$", k.sha256)) && length(k.roles) > 0 && alltrue([for r in k.roles : contains(["jobs", "fleet"], r)])])
    error_message = "Give at least one key, each with a 64-digit lower-case SHA-256 hex and roles from jobs and fleet: the dispatcher does not start without keys."
  }
}

variable "root_volume_gb" {
  description = "Size of the encrypted gp3 root volume."
  type        = number
  default     = 30

  validation {
    condition     = var.root_volume_gb >= 30 && var.root_volume_gb <= 16384
    error_message = "root_volume_gb must be between 30 and 16384."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the EBS volume; null uses the account's default EBS key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "log_retention_days" {
  description = "Retention of the dispatcher's CloudWatch log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "extra_environment" {
  description = "More settings for the dispatcher container as environment variables (never secrets: use Secrets Manager)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
