# Session Manager shells on the broker host are recorded in CloudWatch Logs, encrypted with a customer
# managed key. Start them with this document (output session_command); the console's default
# preferences document is account-wide, so this stack does not take it over.
# https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html

resource "aws_kms_key" "session_logs" {
  count = local.self_managed ? 1 : 0

  description             = "${local.name}: Session Manager session logs"
  enable_key_rotation     = true
  deletion_window_in_days = 7

  # CloudWatch Logs encrypts with the key on the log group's behalf, so the key policy must name it.
  # https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "${local.arn_prefix}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncrypts"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "${local.arn_prefix}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.session_log_group}"
          }
        }
      },
    ]
  })
}

locals {
  session_log_group = "/${var.project}/${var.stage}/session-manager"
}

resource "aws_cloudwatch_log_group" "sessions" {
  count = local.self_managed ? 1 : 0

  name              = local.session_log_group
  retention_in_days = var.session_log_retention_days
  kms_key_id        = aws_kms_key.session_logs[0].arn
}

resource "aws_ssm_document" "session" {
  count = local.self_managed ? 1 : 0

  name            = "${local.name}-session"
  document_type   = "Session"
  document_format = "JSON"

  content = jsonencode({
    schemaVersion = "1.0"
    description   = "Shell on the ${local.name} Kafka host, logged to ${local.session_log_group}"
    sessionType   = "Standard_Stream"
    inputs = {
      cloudWatchLogGroupName      = local.session_log_group
      cloudWatchEncryptionEnabled = true
      cloudWatchStreamingEnabled  = true
      s3BucketName                = ""
      s3EncryptionEnabled         = false
      idleSessionTimeout          = "20"
      runAsEnabled                = false
    }
  })
}
