variable "name" {
  description = "Stack name; each region's stack is \"<name>-<region code>\" (IAM names are global)."
  type        = string
  default     = "spotbatch"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.name))
    error_message = "name must be 2-15 lower-case letters, digits or hyphens (a region code is appended)."
  }
}

variable "regions" {
  description = "Network, images and bucket per region: keys us-east-1, us-west-2 and eu-west-1."
  type = map(object({
    vpc_id             = string
    private_subnet_ids = list(string)
    dispatcher_image   = string
    worker_image       = string
    bucket_name        = string
    max_per_pool       = number
  }))

  validation {
    condition     = length(setsubtract(["us-east-1", "us-west-2", "eu-west-1"], keys(var.regions))) == 0
    error_message = "regions must have entries for us-east-1, us-west-2 and eu-west-1."
  }

  validation {
    condition     = alltrue([for r in values(var.regions) : r.max_per_pool >= 1 && r.max_per_pool <= 1000])
    error_message = "max_per_pool must be between 1 and 1000 in every region."
  }
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
  description = "Who may call the APIs."
  type        = list(string)
}
