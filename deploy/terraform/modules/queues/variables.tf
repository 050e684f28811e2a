variable "name" {
  description = "Prefix of every queue name, e.g. \"spotbatch-prod\" gives spotbatch-prod-work, spotbatch-prod-work-dlq, ..."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,60}$", var.name))
    error_message = "name must be 1-60 letters, digits, hyphens or underscores (SQS names allow no more)."
  }
}

variable "lease_seconds" {
  description = "The workers' lease time (spotbatch.worker.lease-time) in seconds. It is the work queue's default visibility timeout: a received item stays invisible this long unless its worker's heartbeat extends it."
  type        = number
  default     = 60

  validation {
    condition     = var.lease_seconds >= 10 && var.lease_seconds <= 43200
    error_message = "lease_seconds must be between 10 and 43200 (SQS allows 0-12 h; under 10 s a heartbeat cannot keep up)."
  }
}

variable "events_visibility_seconds" {
  description = "Visibility timeout of the events queue: how long the dispatcher has to apply a batch of worker events before they are delivered again."
  type        = number
  default     = 60

  validation {
    condition     = var.events_visibility_seconds >= 10 && var.events_visibility_seconds <= 43200
    error_message = "events_visibility_seconds must be between 10 and 43200."
  }
}

variable "max_attempts" {
  description = "The largest maxAttempts jobs may ask for. Failures are counted by spotbatch itself; the queue's redrive is only a backstop and must sit above this."
  type        = number
  default     = 3

  validation {
    condition     = var.max_attempts >= 1 && var.max_attempts <= 100
    error_message = "max_attempts must be between 1 and 100."
  }
}

variable "max_receive_count" {
  description = "Receives after which SQS moves a message to the dead-letter queue (the redrive backstop). Must be above max_attempts so that spotbatch, not SQS, decides when an item has failed; interruptions never count because an interrupted item is re-sent as a new message."
  type        = number
  default     = 10

  validation {
    condition     = var.max_receive_count >= 2 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 2 and 1000 (the SQS limit)."
  }
}

variable "retention_seconds" {
  description = "How long messages are kept in the work, events and dead-letter queues."
  type        = number
  default     = 1209600

  validation {
    condition     = var.retention_seconds >= 60 && var.retention_seconds <= 1209600
    error_message = "retention_seconds must be between 60 and 1209600 (14 days, the SQS maximum)."
  }
}

variable "kms_key_arn" {
  description = "A customer-managed KMS key for server-side encryption; null uses SQS-managed encryption (SSE-SQS), which needs no key policy."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags for every queue."
  type        = map(string)
  default     = {}
}
