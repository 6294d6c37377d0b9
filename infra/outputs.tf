output "kafka_mode" {
  description = "Where Kafka runs (self-managed or msk); serverless.yml reads it from SSM."
  value       = var.kafka_mode
}

output "bootstrap_servers" {
  description = "Kafka bootstrap servers (SASL_SSL, SCRAM-SHA-512), reachable from the Lambda security group only. On EC2 it is the persistent ENI's address: it survives host replacement."
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

output "kafka_user_secret_arns" {
  description = "Secrets Manager ARNs of the SCRAM users, by user name."
  value       = { for key, user in local.kafka_users : user => aws_secretsmanager_secret.kafka_user[key].arn }
}

output "kafka_secrets_kms_key_arn" {
  description = "Customer managed key of the Kafka user secrets."
  value       = aws_kms_key.kafka.arn
}

output "ca_secret_arn" {
  description = "Secrets Manager ARN of the broker's root CA certificate (empty until the host has booted; unused in msk mode)."
  value       = aws_secretsmanager_secret.ca.arn
}

output "alarm_topic_arn" {
  description = "SNS topic of the broker alarms."
  value       = aws_sns_topic.alarms.arn
}

output "broker_instance_id" {
  description = "Session Manager target of the broker host (self-managed mode)."
  value       = local.self_managed ? aws_instance.broker[0].id : null
}

output "session_command" {
  description = "Opens a logged shell on the broker host (self-managed mode)."
  value       = local.self_managed ? "aws ssm start-session --region ${data.aws_region.current.name} --target ${aws_instance.broker[0].id} --document-name ${aws_ssm_document.session[0].name}" : null
}

output "console_port_forward_command" {
  description = "Opens Redpanda Console on http://localhost:<console_port> through Session Manager (console_enabled = true)."
  value       = local.self_managed ? "aws ssm start-session --region ${data.aws_region.current.name} --target ${aws_instance.broker[0].id} --document-name AWS-StartPortForwardingSession --parameters portNumber=${var.console_port},localPortNumber=${var.console_port}" : null
}

output "ssm_parameter_names" {
  description = "SSM parameters that serverless.yml reads."
  value = merge(
    { for key, param in aws_ssm_parameter.plain : key => param.name },
    { "ui/access-token" = aws_ssm_parameter.ui_access_token.name },
  )
}

output "broker_user_data_sha256" {
  description = "Hash of the broker's first-boot script: a change replaces the instance (the data volume and the ENI are kept)."
  value       = sha256(local.user_data)
}

output "msk_cluster_arn" {
  description = "ARN of the MSK cluster (msk mode)."
  value       = local.msk ? aws_msk_cluster.this[0].arn : null
}

output "msk_kafka_setup_script" {
  description = "msk mode: creates the topics and ACLs as orders-admin. Run once from inside the VPC (README, \"Moving to MSK\")."
  value       = local.msk ? local.kafka_setup_sh : null
}

output "broker_user_data" {
  description = "The broker's rendered first-boot script (self-managed mode). It holds no secrets: the host reads them from Secrets Manager."
  value       = local.self_managed ? local.user_data : null
}
