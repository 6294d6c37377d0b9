data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "broker" {
  count = local.self_managed ? 1 : 0

  name        = "${local.name}-broker"
  description = "Kafka broker host: Session Manager (logged), read the Kafka user secrets, publish the CA, agent metrics"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

locals {
  arn_prefix = "arn:${data.aws_partition.current.partition}"

  # Replaces AmazonSSMManagedInstanceCore, which also grants ssm:GetParameter(s) on every parameter
  # (the UI token among them) and S3/KMS reads. What Session Manager itself needs is the agent's
  # registration and its message channels:
  # https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html
  broker_policy_statements = [
    {
      Sid    = "SessionManagerAgent"
      Effect = "Allow"
      Action = [
        "ssm:UpdateInstanceInformation",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "ec2messages:AcknowledgeMessage",
        "ec2messages:DeleteMessage",
        "ec2messages:FailMessage",
        "ec2messages:GetEndpoint",
        "ec2messages:GetMessages",
        "ec2messages:SendReply",
      ]
      # These actions have no resource-level permissions (the agent calls them before it knows a session).
      Resource = ["*"]
    },
    {
      # The agent checks that the session log group exists (a List-type call without resource scope),
      # then streams the session into it.
      Sid      = "SessionLogGroupLookup"
      Effect   = "Allow"
      Action   = ["logs:DescribeLogGroups"]
      Resource = ["*"]
    },
    {
      Sid      = "SessionLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      Resource = [for group in aws_cloudwatch_log_group.sessions : "${group.arn}:*"]
    },
    {
      Sid      = "ReadKafkaUserSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [for user in keys(local.kafka_users) : aws_secretsmanager_secret.kafka_user[user].arn]
    },
    {
      Sid      = "DecryptKafkaUserSecrets"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [aws_kms_key.kafka.arn]
      Condition = {
        StringEquals = { "kms:ViaService" = "secretsmanager.${data.aws_region.current.name}.amazonaws.com" }
      }
    },
    {
      Sid      = "PublishCaCertificate"
      Effect   = "Allow"
      Action   = ["secretsmanager:PutSecretValue"]
      Resource = [aws_secretsmanager_secret.ca.arn]
    },
    {
      Sid      = "AgentMetrics"
      Effect   = "Allow"
      Action   = ["cloudwatch:PutMetricData"]
      Resource = ["*"]
      Condition = {
        StringEquals = { "cloudwatch:namespace" = local.agent_namespace }
      }
    },
  ]
}

resource "aws_iam_role_policy" "broker" {
  count = local.self_managed ? 1 : 0

  name   = "kafka-broker"
  role   = aws_iam_role.broker[0].id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.broker_policy_statements })
}

resource "aws_iam_instance_profile" "broker" {
  count = local.self_managed ? 1 : 0

  name = "${local.name}-broker"
  role = aws_iam_role.broker[0].name
}
