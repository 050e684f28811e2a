output "bucket_name" {
  description = "The bucket's name."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "The bucket's ARN (IAM)."
  value       = aws_s3_bucket.this.arn
}

output "staging_uri" {
  description = "spotbatch.storage.staging-uri for the dispatcher."
  value       = "s3://${aws_s3_bucket.this.bucket}/${var.staging_prefix}"
}

output "kms_key_arn" {
  description = "The customer-managed key, or null for aws/s3."
  value       = var.kms_key_arn
}
