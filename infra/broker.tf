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
  # The files embedded in the user data lose their comment lines (they are documented here, in the
  # repository): EC2 limits user data to 16 KiB.
  strip_comments = "/(?m)^[ \t]*#([^!\n].*)?\n/"
  data_device    = "/dev/sdf"
  topics         = ["orders.v1", "orders.retry", "orders.dlq", "orders.dlq.redrives"]

  server_properties = replace(templatefile("${path.module}/templates/server.properties.tftpl", {
    kafka_port       = var.kafka_port
    topic_partitions = var.topic_partitions
  }), local.strip_comments, "")

  compose_file = replace(templatefile("${path.module}/templates/compose.yaml.tftpl", {
    kafka_image   = var.kafka_image
    console_image = var.console_image
    console_port  = var.console_port
    kafka_heap_mb = var.kafka_heap_mb
  }), local.strip_comments, "")

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
    broker_start_sh   = replace(file("${path.module}/templates/broker-start.sh"), local.strip_comments, "")
    renew_cert_sh     = replace(file("${path.module}/templates/renew-cert.sh"), local.strip_comments, "")
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

  # The first-boot script runs once, so a change to it replaces the instance. The topic data lives on
  # aws_ebs_volume.kafka_data, which survives the replacement; only the root volume is thrown away.
  user_data                   = local.user_data
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
    # The hop limit of 1 stops only bridge-networked containers. Kafka and Console use the host
    # network, so the user data adds an iptables rule that lets only root (uid 0) reach IMDS; both
    # containers run as non-root users.
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = 16
    encrypted             = true
    delete_on_termination = true
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

# The Kafka log directory, the CA and the cluster id live here, not on the instance: replacing the
# instance (a user data change, -replace) re-attaches this volume and keeps every topic. Only
# `terraform destroy` deletes it. No prevent_destroy, so that destroy keeps working as teardown.
resource "aws_ebs_volume" "kafka_data" {
  availability_zone = aws_subnet.private[0].availability_zone
  type              = "gp3"
  size              = var.data_volume_size_gib
  encrypted         = true

  tags = { Name = "${local.name}-kafka-data" }
}

resource "aws_volume_attachment" "kafka_data" {
  device_name = local.data_device
  volume_id   = aws_ebs_volume.kafka_data.id
  instance_id = aws_instance.broker.id
  # Stop the old host before detaching on a replacement, so Kafka shuts down cleanly and the file
  # system is unmounted instead of being pulled away from a running broker.
  stop_instance_before_detaching = true
}
