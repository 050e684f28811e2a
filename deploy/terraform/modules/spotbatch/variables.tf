variable "name" {
  description = "Name of the stack: the prefix of every resource (make it unique per account and region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}$", var.name))
    error_message = "name must be 2-23 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC to run in (private subnets with a NAT gateway or VPC endpoints for SQS, S3, ECR, Logs, Secrets Manager, Auto Scaling and EC2)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets, one per availability zone; three or more zones give the spot fleet more pools."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "Give at least two subnet ids (subnet-...) in different availability zones."
  }
}

variable "dispatcher_image" {
  description = "The dispatcher image in ECR, by version tag or digest."
  type        = string
}

variable "worker_image" {
  description = "The worker image in ECR (the GPU image for device = \"gpu\"), by version tag or digest."
  type        = string
}

variable "device" {
  description = "\"gpu\" (GPU AMI and types, CUDA when it loads) or \"cpu\"."
  type        = string
  default     = "gpu"

  validation {
    condition     = contains(["gpu", "cpu"], var.device)
    error_message = "device must be \"gpu\" or \"cpu\"."
  }
}

variable "worker_instance_types" {
  description = "Override the spot types and their throughput weights ([{instance_type, weight}], 10+; one pool per type and zone); null keeps the module's 13 GPU types."
  type = list(object({
    instance_type = string
    weight        = number
  }))
  default = null
}

variable "bucket_name" {
  description = "The S3 bucket to create for inputs, outputs and staging."
  type        = string
}

variable "input_prefixes" {
  description = "Prefixes of the bucket jobs may read from."
  type        = list(string)
  default     = ["inputs/"]

  validation {
    condition     = length(var.input_prefixes) > 0 && alltrue([for p in var.input_prefixes : endswith(p, "/")])
    error_message = "input_prefixes must be non-empty and end in '/'."
  }
}

variable "output_prefixes" {
  description = "Prefixes of the bucket jobs may write to."
  type        = list(string)
  default     = ["outputs/"]

  validation {
    condition     = length(var.output_prefixes) > 0 && alltrue([for p in var.output_prefixes : endswith(p, "/")])
    error_message = "output_prefixes must be non-empty and end in '/'."
  }
}

variable "client_cidrs" {
  description = "Who may call the API through the internal load balancer."
  type        = list(string)
}

variable "api_keys" {
  description = "The dispatcher's API keys: [{name, sha256 (hex of the token), roles (jobs, fleet)}]."
  type = list(object({
    name   = string
    sha256 = string
    roles  = list(string)
  }))
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on the API; null for HTTP inside the VPC."
  type        = string
  default     = null
}

variable "max_attempts" {
  description = "The largest maxAttempts a job may ask for."
  type        = number
  default     = 3

  validation {
    condition     = var.max_attempts >= 1 && var.max_attempts <= 100
    error_message = "max_attempts must be between 1 and 100."
  }
}

variable "max_receive_count" {
  description = "SQS redrive threshold (backstop), above max_attempts."
  type        = number
  default     = 10

  validation {
    condition     = var.max_receive_count >= 2 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 2 and 1000."
  }
}

variable "lease_seconds" {
  description = "Worker lease time = work queue visibility timeout."
  type        = number
  default     = 60

  validation {
    condition     = var.lease_seconds >= 10 && var.lease_seconds <= 43200
    error_message = "lease_seconds must be between 10 and 43200."
  }
}

variable "on_demand_instance_types" {
  description = "Types that also get on-demand pools (the autoscaler's on-demand base and deadline fallback); null keeps the module's three."
  type        = list(string)
  default     = null
}

variable "max_per_pool" {
  description = "Largest group per pool (instances): the autoscaler never asks one pool for more."
  type        = number
  default     = 10

  validation {
    condition     = var.max_per_pool >= 1 && var.max_per_pool <= 1000
    error_message = "max_per_pool must be between 1 and 1000."
  }
}

variable "drain_timeout_seconds" {
  description = "Lifecycle hook timeout: how long a leaving worker may drain."
  type        = number
  default     = 180

  validation {
    condition     = var.drain_timeout_seconds >= 120 && var.drain_timeout_seconds <= 7200
    error_message = "drain_timeout_seconds must be between 120 (a spot notice) and 7200."
  }
}

variable "database_deletion_protection" {
  description = "Protect the database from deletion (false only for throw-away stacks)."
  type        = bool
  default     = true
}

variable "database_multi_az" {
  description = "Run the database with a standby."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "One customer-managed KMS key for queues, bucket, database, secret and volumes; null uses AWS-managed keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic for the alarms; null creates one."
  type        = string
  default     = null
}

variable "max_backlog_age_seconds" {
  description = "Alarm threshold for the oldest work item's age."
  type        = number
  default     = 1800

  validation {
    condition     = var.max_backlog_age_seconds >= 60
    error_message = "max_backlog_age_seconds must be >= 60."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
