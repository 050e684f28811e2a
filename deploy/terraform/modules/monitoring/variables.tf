variable "name" {
  description = "Prefix of the alarm names."
  type        = string
}

variable "work_queue_name" {
  description = "The work queue (backlog age alarm)."
  type        = string
}

variable "dead_letter_queue_names" {
  description = "The dead-letter queues: any message in one raises an alarm."
  type        = list(string)

  validation {
    condition     = length(var.dead_letter_queue_names) > 0
    error_message = "Give at least the work queue's dead-letter queue."
  }
}

variable "max_backlog_age_seconds" {
  description = "Alarm when the oldest work item has waited longer than this (nothing is leasing: no workers, or all blocked)."
  type        = number
  default     = 1800

  validation {
    condition     = var.max_backlog_age_seconds >= 60 && var.max_backlog_age_seconds <= 1209600
    error_message = "max_backlog_age_seconds must be between 60 and 1209600."
  }
}

variable "target_group_arn_suffix" {
  description = "The dispatcher's target group (unhealthy dispatcher alarm); null for none."
  type        = string
  default     = null
}

variable "load_balancer_arn_suffix" {
  description = "The dispatcher's load balancer, with target_group_arn_suffix."
  type        = string
  default     = null
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarms notify; null creates an encrypted topic (subscribe to it yourself)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the alarms and topic."
  type        = map(string)
  default     = {}
}
