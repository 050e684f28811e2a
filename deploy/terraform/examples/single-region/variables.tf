variable "region" {
  description = "AWS region of the stack."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "name" {
  description = "Stack name (prefix of every resource)."
  type        = string
  default     = "spotbatch"
}

variable "vpc_id" {
  description = "An existing VPC with private subnets."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets, one per availability zone (3+ recommended)."
  type        = list(string)
}

variable "dispatcher_image" {
  description = "ECR image of the dispatcher, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-dispatcher:0.1.0."
  type        = string
}

variable "worker_image" {
  description = "ECR image of the GPU worker, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-worker-gpu:0.1.0."
  type        = string
}

variable "bucket_name" {
  description = "Name of the bucket to create (globally unique)."
  type        = string
}

variable "api_keys" {
  description = "API keys: [{name, sha256 = hex SHA-256 of the token, roles = [\"jobs\", \"fleet\"]}]. Make a token with openssl rand -hex 32, hash it with printf %s \"$TOKEN\" | sha256sum."
  type = list(object({
    name   = string
    sha256 = string
    roles  = list(string)
  }))
}

variable "client_cidrs" {
  description = "Who may call the API (VPN, office, CI)."
  type        = list(string)
}

variable "max_per_pool" {
  description = "Largest group per pool (instances)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_per_pool >= 1 && var.max_per_pool <= 1000
    error_message = "max_per_pool must be between 1 and 1000."
  }
}
