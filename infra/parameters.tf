# The contract with serverless.yml: it reads these with ${ssm:/<project>/<stage>/...}.
locals {
  ssm_prefix = "/${var.project}/${var.stage}"

  bootstrap_servers = "${aws_instance.broker.private_ip}:${var.kafka_port}"

  plain_parameters = {
    "kafka/bootstrap-servers" = {
      value = local.bootstrap_servers
      # StringList: serverless.yml reads it as the event source mapping's list of servers and, `raw`,
      # as the comma-separated string kafkajs takes.
      type        = "StringList"
      description = "Kafka bootstrap servers (private IP:port, SASL_SSL with SCRAM-SHA-512)"
    }
    "kafka/sasl-secret-arn" = {
      value       = aws_secretsmanager_secret.scram.arn
      type        = "String"
      description = "Secrets Manager ARN of the SCRAM credentials (SASL_SCRAM_512_AUTH)"
    }
    "kafka/ca-secret-arn" = {
      value       = aws_secretsmanager_secret.ca.arn
      type        = "String"
      description = "Secrets Manager ARN of the broker's root CA certificate (SERVER_ROOT_CA_CERTIFICATE)"
    }
    "kafka/broker-instance-id" = {
      value       = aws_instance.broker.id
      type        = "String"
      description = "EC2 instance ID of the broker host, the Session Manager target"
    }
    "network/subnet-ids" = {
      value       = join(",", aws_subnet.private[*].id)
      type        = "StringList"
      description = "Private subnets for the Lambda functions and event source mappings"
    }
    "network/lambda-sg-id" = {
      value       = aws_security_group.lambda.id
      type        = "String"
      description = "Security group for the Lambda functions and event source mappings"
    }
  }
}

resource "aws_ssm_parameter" "plain" {
  for_each = local.plain_parameters

  name        = "${local.ssm_prefix}/${each.key}"
  type        = each.value.type
  value       = each.value.value
  description = each.value.description
}

# The UI's access token. Encrypted with the AWS managed key alias/aws/ssm. Like the SCRAM password,
# the first generated value is kept and it is stored in Terraform state.
resource "aws_ssm_parameter" "ui_access_token" {
  name        = "${local.ssm_prefix}/ui/access-token"
  type        = "SecureString"
  value       = data.aws_secretsmanager_random_password.ui_token.random_password
  description = "Bearer token for the operator UI and its JSON API"

  lifecycle {
    ignore_changes = [value]
  }
}
