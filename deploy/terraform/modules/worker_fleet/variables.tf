variable "name" {
  description = "Prefix of the group, launch template, security group and log group; the group is \"<name>-workers\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,40}$", var.name))
    error_message = "name must be 1-40 letters, digits or hyphens."
  }
}

variable "vpc_id" {
  description = "VPC of the workers."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets in several availability zones: every zone is another set of spot pools."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Give subnets in at least two availability zones (three or more is better for spot)."
  }
}

variable "image" {
  description = "The worker image (docker/worker-gpu.Dockerfile or docker/worker.Dockerfile) in ECR, by tag or digest, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-worker-gpu:0.1.0."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.image)) && !can(regex(":latest$", var.image))
    error_message = "image must be an ECR image with a version tag or a digest (not :latest), so every instance runs the same build."
  }
}

variable "device" {
  description = "\"gpu\": GPU AMI, NVIDIA container runtime, spotbatch.worker.device=auto; \"cpu\": the standard AMI and spotbatch.worker.device=cpu."
  type        = string
  default     = "gpu"

  validation {
    condition     = contains(["gpu", "cpu"], var.device)
    error_message = "device must be \"gpu\" or \"cpu\"."
  }
}

variable "ami_id" {
  description = "AMI of the workers; null takes the latest ECS-optimized Amazon Linux 2023 AMI (the GPU variant, with the NVIDIA driver and container toolkit, when device = \"gpu\") from SSM."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be an AMI id (ami-...) or null."
  }
}

variable "instance_types" {
  description = "Spot instance types, each with its weight: the relative throughput of one worker on that type (T4 = 1), the autoscaler's prior for cost per record until it has measured the pool. Every type x subnet's zone becomes one spot pool with its own group. At least 10 types: more pools mean fewer interruptions and failed launches. Single-GPU types only: one worker uses one GPU."
  type = list(object({
    instance_type = string
    weight        = number
  }))
  # null (e.g. passed through from the spotbatch module) means the default list
  nullable = false

  default = [
    { instance_type = "g4dn.xlarge", weight = 1 },
    { instance_type = "g4dn.2xlarge", weight = 1 },
    { instance_type = "g4dn.4xlarge", weight = 1 },
    { instance_type = "g5.xlarge", weight = 2 },
    { instance_type = "g5.2xlarge", weight = 2 },
    { instance_type = "g5.4xlarge", weight = 2 },
    { instance_type = "g6.xlarge", weight = 2 },
    { instance_type = "g6.2xlarge", weight = 2 },
    { instance_type = "g6.4xlarge", weight = 2 },
    { instance_type = "gr6.4xlarge", weight = 2 },
    { instance_type = "g6e.xlarge", weight = 3 },
    { instance_type = "g6e.2xlarge", weight = 3 },
    { instance_type = "p3.2xlarge", weight = 2 },
  ]

  validation {
    condition     = length(var.instance_types) >= 10
    error_message = "Give at least 10 instance types: AWS's spot guidance, and what keeps price-capacity-optimized from running out of pools."
  }

  validation {
    condition     = length(distinct([for t in var.instance_types : t.instance_type])) == length(var.instance_types)
    error_message = "instance_types must not repeat a type."
  }

  validation {
    condition     = alltrue([for t in var.instance_types : t.weight >= 1 && t.weight <= 999 && floor(t.weight) == t.weight])
    error_message = "Each weight must be a whole number from 1 to 999 (the ASG limit)."
  }
}

variable "on_demand_instance_types" {
  description = "Instance types that also get on-demand pools (one group per type x zone): the autoscaler's on-demand base and its fallback when spot cannot meet a deadline."
  type        = list(string)
  default     = ["g4dn.xlarge", "g5.xlarge", "g6.xlarge"]
  nullable    = false

  validation {
    condition     = length(var.on_demand_instance_types) >= 1 && length(distinct(var.on_demand_instance_types)) == length(var.on_demand_instance_types)
    error_message = "Give at least one on-demand instance type, without repeats."
  }
}

variable "max_per_pool" {
  description = "Largest size of each pool's group: the autoscaler never asks one pool for more."
  type        = number
  default     = 10

  validation {
    condition     = var.max_per_pool >= 1 && var.max_per_pool <= 1000
    error_message = "max_per_pool must be between 1 and 1000."
  }
}

variable "capacity_rebalance" {
  description = "EC2 Capacity Rebalancing on the spot groups. Off by default: the dispatcher replaces a worker as soon as its notice arrives, in the pool its cost ranking picks (issue 8); with it on, Auto Scaling would launch a second replacement in the same pool."
  type        = bool
  default     = false
}

variable "drain_timeout_seconds" {
  description = "Heartbeat timeout of the termination lifecycle hook: how long an instance leaving the group waits for its worker to drain and call CompleteLifecycleAction (the worker sends RecordLifecycleActionHeartbeat if it needs longer). Also the container's stop timeout."
  type        = number
  default     = 180

  validation {
    condition     = var.drain_timeout_seconds >= 30 && var.drain_timeout_seconds <= 7200
    error_message = "drain_timeout_seconds must be between 30 and 7200 (the lifecycle hook's limits)."
  }
}

variable "lease_seconds" {
  description = "spotbatch.worker.lease-time in seconds; must match the work queue's visibility timeout."
  type        = number
  default     = 60

  validation {
    condition     = var.lease_seconds >= 10 && var.lease_seconds <= 43200
    error_message = "lease_seconds must be between 10 and 43200."
  }
}

variable "concurrency" {
  description = "Items a worker works on at once (spotbatch.worker.concurrency)."
  type        = number
  default     = 4

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 256
    error_message = "concurrency must be between 1 and 256."
  }
}

variable "instance_profile_name" {
  description = "The workers' instance profile (iam module)."
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
  description = "spotbatch.worker.allowed-roots: the s3:// locations items may read and write."
  type        = list(string)

  validation {
    condition     = length(var.allowed_roots) > 0 && alltrue([for r in var.allowed_roots : startswith(r, "s3://") && endswith(r, "/")])
    error_message = "allowed_roots must be s3://bucket/prefix/ locations ending in '/'."
  }
}

variable "root_volume_gb" {
  description = "Size of the encrypted gp3 root volume (the GPU images are large)."
  type        = number
  default     = 60

  validation {
    condition     = var.root_volume_gb >= 30 && var.root_volume_gb <= 16384
    error_message = "root_volume_gb must be between 30 and 16384 (the GPU AMIs need 30)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the EBS volumes; null uses the account's default EBS key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "metrics_source_security_group_ids" {
  description = "Security groups allowed to scrape the workers' /actuator/prometheus on port 8081 (e.g. Prometheus)."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the workers' CloudWatch log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "extra_environment" {
  description = "More spotbatch settings for the worker container as environment variables, e.g. { SPOTBATCH_WORKER_BATCH_SIZE = \"64\" }."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for the group (propagated to instances), launch template and security group."
  type        = map(string)
  default     = {}
}
