# The contract with serverless.yml: it reads these with ${ssm:/<project>/<stage>/...}.
locals {
  ssm_prefix = "/${var.project}/${var.stage}"
  # MSK serves SASL/SCRAM on 9096 only.
  kafka_port = local.msk ? 9096 : var.kafka_port

  # Self-managed: the persistent ENI's address, fixed in configuration, never the instance's.
  bootstrap_servers = local.msk ? aws_msk_cluster.this[0].bootstrap_brokers_sasl_scram : "${local.broker_ip}:${var.kafka_port}"

  plain_parameters = merge({
    "kafka/mode" = {
      value       = var.kafka_mode
      type        = "String"
      description = "Where Kafka runs: self-managed (EC2 host) or msk; serverless.yml picks its event sources by it"
    }
    "kafka/bootstrap-servers" = {
      value = local.bootstrap_servers
      # StringList: serverless.yml reads it as the event source mapping's list of servers and, `raw`,
      # as the comma-separated string kafkajs takes.
      type        = "StringList"
      description = "Kafka bootstrap servers (SASL_SSL with SCRAM-SHA-512); on EC2 the stable ENI address"
    }
    "kafka/esm-secret-arn" = {
      value       = aws_secretsmanager_secret.kafka_user["esm"].arn
      type        = "String"
      description = "SCRAM credentials of orders-esm, the event source mappings' user (SASL_SCRAM_512_AUTH)"
    }
    "kafka/producer-secret-arn" = {
      value       = aws_secretsmanager_secret.kafka_user["producer"].arn
      type        = "String"
      description = "SCRAM credentials of orders-producer, the consumers' producer"
    }
    "kafka/ui-secret-arn" = {
      value       = aws_secretsmanager_secret.kafka_user["ui"].arn
      type        = "String"
      description = "SCRAM credentials of orders-ui, the UI function's user"
    }
    "kafka/secrets-kms-key-arn" = {
      value       = aws_kms_key.kafka.arn
      type        = "String"
      description = "Customer managed key of the Kafka user secrets (the functions need kms:Decrypt)"
    }
    "kafka/ca-secret-arn" = {
      value       = aws_secretsmanager_secret.ca.arn
      type        = "String"
      description = "Secrets Manager ARN of the broker's root CA certificate (SERVER_ROOT_CA_CERTIFICATE); empty in msk mode"
    }
    # In self-managed mode this holds a well-formed ARN that names no cluster: the MSK resources of the
    # serverless template are conditional on kafka/mode, but cfn-lint still checks the parameter's
    # value against the ARN pattern (W1030).
    "kafka/msk-cluster-arn" = {
      value       = local.msk ? aws_msk_cluster.this[0].arn : "arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/none/00000000-0000-0000-0000-000000000000-0"
      type        = "String"
      description = "Amazon MSK cluster ARN (msk mode); a placeholder that names no cluster in self-managed mode"
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
    }, local.self_managed ? {
    "kafka/broker-instance-id" = {
      value       = aws_instance.broker[0].id
      type        = "String"
      description = "EC2 instance ID of the broker host, the Session Manager target"
    }
  } : {})
}

resource "aws_ssm_parameter" "plain" {
  for_each = local.plain_parameters

  name        = "${local.ssm_prefix}/${each.key}"
  type        = each.value.type
  value       = each.value.value
  description = each.value.description
}

# The UI's access token. Encrypted with the AWS managed key alias/aws/ssm. Like the SCRAM passwords,
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
