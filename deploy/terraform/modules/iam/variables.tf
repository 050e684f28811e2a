variable "name" {
  description = "Prefix of the role, instance profile and policy names (IAM is global: make it unique per region in multi-region stacks)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits and +=,.@_-."
  }
}

variable "work_queue_arn" {
  description = "ARN of the work queue."
  type        = string
}

variable "events_queue_arn" {
  description = "ARN of the events queue."
  type        = string
}

variable "dead_letter_queue_arns" {
  description = "ARNs of the dead-letter queues; the dispatcher reads them to mark dead items failed."
  type        = list(string)
}

variable "bucket_arn" {
  description = "ARN of the data bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.bucket_arn))
    error_message = "bucket_arn must be a bucket ARN (arn:aws:s3:::name), not an object ARN."
  }
}

variable "input_prefixes" {
  description = "Key prefixes of the bucket jobs may read from (e.g. [\"inputs/\"]); the same locations as spotbatch's allowed roots."
  type        = list(string)

  validation {
    condition     = length(var.input_prefixes) > 0 && alltrue([for p in var.input_prefixes : endswith(p, "/") && !startswith(p, "/") && !strcontains(p, "*")])
    error_message = "input_prefixes must be non-empty relative prefixes ending in '/', without wildcards."
  }
}

variable "output_prefixes" {
  description = "Key prefixes of the bucket jobs may write to (e.g. [\"outputs/\"])."
  type        = list(string)

  validation {
    condition     = length(var.output_prefixes) > 0 && alltrue([for p in var.output_prefixes : endswith(p, "/") && !startswith(p, "/") && !strcontains(p, "*")])
    error_message = "output_prefixes must be non-empty relative prefixes ending in '/', without wildcards."
  }
}

variable "staging_prefix" {
  description = "Key prefix where the dispatcher stages inline records (workers read it)."
  type        = string
  default     = "spotbatch-staging/"

  validation {
    condition     = endswith(var.staging_prefix, "/") && !strcontains(var.staging_prefix, "*")
    error_message = "staging_prefix must end in '/' and hold no wildcard."
  }
}

variable "worker_group_prefix" {
  description = "Prefix of the worker pools' Auto Scaling group names (worker_fleet's group_prefix): workers complete their group's lifecycle hook; the dispatcher sets the groups' capacity and protection and terminates idle workers."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+-$", var.worker_group_prefix))
    error_message = "worker_group_prefix must be letters, digits and hyphens ending in '-' (e.g. \"spotbatch-w-\"), so the roles reach these groups only."
  }
}

variable "database_secret_arn" {
  description = "Secrets Manager secret with the database credentials (the dispatcher reads it)."
  type        = string
}

variable "kms_key_arns" {
  description = "Customer-managed KMS keys of the queues, bucket or secret, if any; empty when all use AWS-managed keys."
  type        = list(string)
  default     = []
}

variable "ecr_repository_arns" {
  description = "ECR repositories the hosts pull the images from."
  type        = list(string)

  validation {
    condition     = alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/-]+$", a))])
    error_message = "ecr_repository_arns must be ECR repository ARNs without wildcards."
  }
}

variable "log_group_arns" {
  description = "CloudWatch log groups the containers write to (awslogs driver)."
  type        = list(string)
}

variable "tags" {
  description = "Tags for the roles."
  type        = map(string)
  default     = {}
}
