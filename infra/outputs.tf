output "bootstrap_servers" {
  description = "Kafka bootstrap servers (SASL_SSL, SCRAM-SHA-512), reachable from the Lambda security group only."
  value       = local.bootstrap_servers
}

output "private_subnet_ids" {
  description = "Private subnets for the Lambda functions and event source mappings."
  value       = aws_subnet.private[*].id
}

output "lambda_security_group_id" {
  description = "Security group for the Lambda functions and event source mappings."
  value       = aws_security_group.lambda.id
}

output "sasl_secret_arn" {
  description = "Secrets Manager ARN of the SCRAM credentials."
  value       = aws_secretsmanager_secret.scram.arn
}

output "ca_secret_arn" {
  description = "Secrets Manager ARN of the broker's root CA certificate (empty until the host has booted)."
  value       = aws_secretsmanager_secret.ca.arn
}

output "broker_instance_id" {
  description = "Session Manager target of the broker host."
  value       = aws_instance.broker.id
}

output "ssm_parameter_names" {
  description = "SSM parameters that serverless.yml reads."
  value = merge(
    { for key, param in aws_ssm_parameter.plain : key => param.name },
    { "ui/access-token" = aws_ssm_parameter.ui_access_token.name },
  )
}

output "console_port_forward_command" {
  description = "Opens Redpanda Console on http://localhost:<console_port> through Session Manager."
  value       = "aws ssm start-session --region ${data.aws_region.current.name} --target ${aws_instance.broker.id} --document-name AWS-StartPortForwardingSession --parameters portNumber=${var.console_port},localPortNumber=${var.console_port}"
}

output "broker_user_data_sha256" {
  description = "Hash of the broker's first-boot script: a change replaces the instance (the data volume is kept)."
  value       = sha256(local.user_data)
}
