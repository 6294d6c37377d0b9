# Both passwords come from Secrets Manager's own generator. A data source is re-read on every plan,
# so the resources that store the values ignore later changes: the first value is kept.
# The values are stored in Terraform state: protect the state (see versions.tf and the README).
data "aws_secretsmanager_random_password" "scram" {
  password_length = 40
  # Alphanumeric only: the password is embedded in a SCRAM credential spec ("[name=..,password=..]")
  # and in a Java properties file on the host, where punctuation would need escaping.
  exclude_punctuation = true
}

data "aws_secretsmanager_random_password" "ui_token" {
  password_length     = 48
  exclude_punctuation = true
}

# The Lambda event source mapping reads this secret through SASL_SCRAM_512_AUTH, which expects
# {"username": ..., "password": ...}. It is encrypted with the AWS managed key aws/secretsmanager,
# so the functions' execution role needs only secretsmanager:GetSecretValue. Switching to a
# customer managed key would also need kms:Decrypt on that key in the execution role.
# https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html
resource "aws_secretsmanager_secret" "scram" {
  name                    = "${var.project}/${var.stage}/kafka/scram"
  description             = "SASL/SCRAM-SHA-512 credentials of the ${local.name} Kafka broker (Lambda SASL_SCRAM_512_AUTH)"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "scram" {
  secret_id = aws_secretsmanager_secret.scram.id
  secret_string = jsonencode({
    username = var.scram_username
    password = data.aws_secretsmanager_random_password.scram.random_password
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# The broker host creates its own CA at first boot and writes the CA certificate here as
# {"certificate": "-----BEGIN CERTIFICATE-----..."}, the shape the event source mapping's
# SERVER_ROOT_CA_CERTIFICATE expects. Terraform creates the secret but never a value: a value
# appears only once the broker is up with its topics, so it doubles as a readiness signal.
resource "aws_secretsmanager_secret" "ca" {
  name                    = "${var.project}/${var.stage}/kafka/ca"
  description             = "Root CA certificate of the ${local.name} Kafka broker's TLS listener (Lambda SERVER_ROOT_CA_CERTIFICATE), published by the host"
  recovery_window_in_days = var.secret_recovery_window_days
}
