variable "bucket_name" {
  description = "Name of the S3 bucket for inputs, outputs and staging (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit."
  }
}

variable "staging_prefix" {
  description = "Prefix (spotbatch.storage.staging-uri) where the dispatcher writes inline records before planning; objects under it expire after staging_expiry_days."
  type        = string
  default     = "spotbatch-staging/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.staging_prefix)) && !startswith(var.staging_prefix, "/")
    error_message = "staging_prefix must be a relative key prefix ending in '/', e.g. \"spotbatch-staging/\"."
  }
}

variable "staging_expiry_days" {
  description = "Days after which staged inline records are deleted (jobs have long finished by then)."
  type        = number
  default     = 7

  validation {
    condition     = var.staging_expiry_days >= 1 && var.staging_expiry_days <= 3650
    error_message = "staging_expiry_days must be between 1 and 3650."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for SSE-KMS (with an S3 bucket key); null uses the AWS-managed key aws/s3."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "versioning" {
  description = "Keep object versions (protects outputs against overwrites; costs storage)."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a bucket that still holds objects (for test stacks only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}
}
