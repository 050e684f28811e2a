output "jdbc_url" {
  description = "spring.datasource.url for the dispatcher (TLS required)."
  value       = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${aws_db_instance.this.db_name}?sslmode=require"
}

output "address" {
  description = "The database host name."
  value       = aws_db_instance.this.address
}

output "credentials_secret_arn" {
  description = "Secrets Manager secret (JSON with username and password) that RDS manages; the dispatcher reads it at start."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.db.id
}

output "instance_arn" {
  description = "The DB instance ARN."
  value       = aws_db_instance.this.arn
}
