data "aws_ssm_parameter" "al2023_ami" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.instance_architecture}"
}

data "aws_partition" "current" {}

resource "aws_iam_role" "broker" {
  name        = "${local.name}-broker"
  description = "Kafka broker host: Session Manager, read the SCRAM secret, publish the CA certificate"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "broker_ssm" {
  role       = aws_iam_role.broker.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "broker_secrets" {
  name = "kafka-secrets"
  role = aws_iam_role.broker.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadScramCredentials"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.scram.arn]
      },
      {
        Sid      = "PublishCaCertificate"
        Effect   = "Allow"
        Action   = ["secretsmanager:PutSecretValue"]
        Resource = [aws_secretsmanager_secret.ca.arn]
      },
    ]
  })
}

resource "aws_iam_instance_profile" "broker" {
  name = "${local.name}-broker"
  role = aws_iam_role.broker.name
}

locals {
  data_device = "/dev/sdf"
  topics      = ["orders.v1", "orders.retry", "orders.dlq"]

  server_properties = templatefile("${path.module}/templates/server.properties.tftpl", {
    kafka_port       = var.kafka_port
    topic_partitions = var.topic_partitions
  })

  compose_file = templatefile("${path.module}/templates/compose.yaml.tftpl", {
    kafka_image   = var.kafka_image
    console_image = var.console_image
    console_port  = var.console_port
    kafka_heap_mb = var.kafka_heap_mb
  })

  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    region            = data.aws_region.current.name
    scram_secret_arn  = aws_secretsmanager_secret.scram.arn
    ca_secret_arn     = aws_secretsmanager_secret.ca.arn
    ca_name           = "${local.name} Kafka CA"
    data_device       = local.data_device
    kafka_image       = var.kafka_image
    kafka_port        = var.kafka_port
    compose_version   = var.compose_version
    topics            = local.topics
    topic_partitions  = var.topic_partitions
    dlq_retention_ms  = var.dlq_retention_days * 24 * 3600 * 1000
    server_properties = local.server_properties
    compose_file      = local.compose_file
    broker_start_sh   = file("${path.module}/templates/broker-start.sh")
  })
}

resource "aws_instance" "broker" {
  ami                    = data.aws_ssm_parameter.al2023_ami.insecure_value
  instance_type          = var.instance_type
  subnet_id              = aws_subnet.private[0].id
  vpc_security_group_ids = [aws_security_group.broker.id]
  iam_instance_profile   = aws_iam_instance_profile.broker.name
  # No key pair and no port 22: shell access is Session Manager only.
  key_name                    = null
  associate_public_ip_address = false
  monitoring                  = false

  user_data                   = local.user_data
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
    # 1 hop: a container on a bridge network cannot reach IMDS (the broker and console use the
    # host network and need no instance credentials).
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = 16
    encrypted             = true
    delete_on_termination = true
  }

  ebs_block_device {
    device_name           = local.data_device
    volume_type           = "gp3"
    volume_size           = var.data_volume_size_gib
    encrypted             = true
    delete_on_termination = true
    tags                  = { Name = "${local.name}-kafka-data" }
  }

  tags = { Name = "${local.name}-kafka" }

  lifecycle {
    # A newer AMI must not replace the broker (and its data) on an unrelated apply.
    # Replace on purpose with `terraform apply -replace=aws_instance.broker`.
    ignore_changes = [ami]
  }

  depends_on = [
    aws_secretsmanager_secret_version.scram,
    aws_iam_role_policy.broker_secrets,
    aws_route.private_nat,
    aws_vpc_endpoint.interface,
  ]
}
