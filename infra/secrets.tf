# Every password comes from Secrets Manager's own generator. A data source is re-read on every plan,
# so the resources that store the values ignore later changes: the first value is kept.
# The values are stored in Terraform state: protect the state (see versions.tf and the README).

locals {
  # One SCRAM-SHA-512 user per kind of client, each with its own ACLs (templates/kafka-acls.sh.tftpl).
  # The names are a contract with serverless.yml and the local broker.
  kafka_users = {
    esm      = "orders-esm"      # the two event source mappings: read orders.v1 / orders.retry
    producer = "orders-producer" # the consumers' producer: write orders.retry / orders.dlq
    ui       = "orders-ui"       # the UI function and the operator CLI: read, redrive
    admin    = "orders-admin"    # the only super user: topics, users, ACLs
  }

  # MSK accepts only secrets whose name starts with AmazonMSK_ and that are encrypted with a customer
  # managed key. The EC2 host takes the same names and key, so switching kafka_mode keeps every user
  # and password. https://docs.aws.amazon.com/msk/latest/developerguide/msk-password-tutorial.html
  kafka_user_secret_prefix = "AmazonMSK_${var.project}/${var.stage}/kafka"
}

data "aws_secretsmanager_random_password" "kafka_user" {
  for_each = local.kafka_users

  password_length = 40
  # Alphanumeric only: the password is embedded in a SCRAM credential spec ("[name=..,password=..]")
  # and in a Java properties file on the host, where punctuation would need escaping.
  exclude_punctuation = true
}

data "aws_secretsmanager_random_password" "ui_token" {
  password_length     = 48
  exclude_punctuation = true
}

# The customer managed key of the Kafka user secrets (and, in msk mode, of the cluster's storage).
# Its default key policy lets IAM policies in this account grant its use: the functions' roles get
# kms:Decrypt on it (serverless.yml reads its ARN from SSM), the host role through Secrets Manager only.
resource "aws_kms_key" "kafka" {
  description             = "${local.name}: Kafka SCRAM secrets${local.msk ? " and MSK storage" : ""}"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_alias" "kafka" {
  name          = "alias/${local.name}-kafka"
  target_key_id = aws_kms_key.kafka.key_id
}

# The Lambda event source mapping reads these through SASL_SCRAM_512_AUTH, which expects
# {"username": ..., "password": ...}; so do the functions' kafkajs clients.
# https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html
resource "aws_secretsmanager_secret" "kafka_user" {
  for_each = local.kafka_users

  name                    = "${local.kafka_user_secret_prefix}/${each.value}"
  description             = "SASL/SCRAM-SHA-512 credentials of the Kafka user ${each.value} (${local.name})"
  kms_key_id              = aws_kms_key.kafka.arn
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "kafka_user" {
  for_each = local.kafka_users

  secret_id = aws_secretsmanager_secret.kafka_user[each.key].id
  secret_string = jsonencode({
    username = each.value
    password = data.aws_secretsmanager_random_password.kafka_user[each.key].random_password
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# The broker host creates its own CA at first boot and writes the CA certificate here as
# {"certificate": "-----BEGIN CERTIFICATE-----..."}, the shape the event source mapping's
# SERVER_ROOT_CA_CERTIFICATE expects. Terraform creates the secret but never a value: a value
# appears only once the broker is up with its topics, users and ACLs, so it doubles as a readiness
# signal. It exists in msk mode too (empty; MSK's certificates chain to a public CA), so
# serverless.yml reads the same parameters in both modes.
resource "aws_secretsmanager_secret" "ca" {
  name                    = "${var.project}/${var.stage}/kafka/ca"
  description             = "Root CA certificate of the ${local.name} Kafka broker's TLS listener (Lambda SERVER_ROOT_CA_CERTIFICATE), published by the host"
  recovery_window_in_days = var.secret_recovery_window_days
}
