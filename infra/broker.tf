# The EC2 Kafka host (kafka_mode = "self-managed"). Its IAM role is in broker-iam.tf, its first-boot
# script in broker-user-data.tf, its alarms and snapshots in broker-operations.tf.

data "aws_ssm_parameter" "al2023_ami" {
  count = local.self_managed ? 1 : 0

  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.instance_architecture}"
}

locals {
  broker_az = aws_subnet.private[0].availability_zone
  # The broker's address is fixed in configuration, not taken from the instance: a persistent ENI
  # holds it, and a replacement host gets the same ENI as its primary interface. So a replacement
  # changes neither bootstrap-servers nor the event source mappings, and the certificate's SAN stays
  # right. The first /24 addresses are reserved by AWS (.0-.3); .10 leaves room.
  broker_ip = cidrhost(aws_subnet.private[0].cidr_block, 10)
}

# Refuse an unknown instance type at plan time, with a message, instead of a failed apply.
data "aws_ec2_instance_type_offerings" "broker" {
  count = local.self_managed ? 1 : 0

  location_type = "availability-zone"
  filter {
    name   = "location"
    values = [local.broker_az]
  }
  filter {
    name   = "instance-type"
    values = [var.instance_type]
  }
}

# Endpoints mode has no internet, and the first boot pulls images and the Compose plugin from it. A
# host booted in nat mode keeps running when the mode changes (the user data does not depend on it);
# a new host would die at boot. So in endpoints mode the plan must find the running host, tagged with
# the hash of the user data it booted with. A user-data change (a new hash), a first apply in
# endpoints mode or a lost host are refused by the precondition below.
data "aws_instances" "booted_broker" {
  count = local.self_managed && !local.nat ? 1 : 0

  instance_state_names = ["pending", "running", "stopping", "stopped"]
  instance_tags = {
    Name           = "${local.name}-kafka"
    UserDataSha256 = sha256(local.user_data)
  }
}

resource "aws_network_interface" "broker" {
  count = local.self_managed ? 1 : 0

  subnet_id         = aws_subnet.private[0].id
  private_ips       = [local.broker_ip]
  security_groups   = [aws_security_group.broker.id]
  source_dest_check = true
  description       = "Kafka broker ${local.name}: stable address that outlives the host"

  tags = { Name = "${local.name}-kafka" }
}

resource "aws_instance" "broker" {
  count = local.self_managed ? 1 : 0

  ami                  = data.aws_ssm_parameter.al2023_ami[0].insecure_value
  instance_type        = var.instance_type
  iam_instance_profile = aws_iam_instance_profile.broker[0].name
  # No key pair and no port 22: shell access is Session Manager only. The primary interface is the
  # persistent ENI (no public IP, the broker security group).
  key_name   = null
  monitoring = false

  network_interface {
    network_interface_id = aws_network_interface.broker[0].id
    device_index         = 0
  }

  # The first-boot script runs once, so a change to it replaces the instance. The topic data lives on
  # aws_ebs_volume.kafka_data and the address on aws_network_interface.broker; both survive.
  # Compressed (cloud-init unpacks gzip user data): EC2 limits user data to 16 KiB.
  user_data_base64            = base64gzip(local.user_data)
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

  tags = {
    Name = "${local.name}-kafka"
    # Read back by data.aws_instances.booted_broker: the endpoints-mode guard.
    UserDataSha256 = sha256(local.user_data)
  }

  lifecycle {
    # A newer AMI must not replace the broker (and its data) on an unrelated apply.
    # Replace on purpose with `terraform apply -replace=aws_instance.broker[0]`.
    ignore_changes = [ami]

    precondition {
      condition     = contains(data.aws_ec2_instance_type_offerings.broker[0].instance_types, var.instance_type)
      error_message = "instance_type ${var.instance_type} is not offered in ${local.broker_az}. Pick another type (aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=location,Values=${local.broker_az})."
    }

    precondition {
      condition     = local.nat || try(length(data.aws_instances.booted_broker[0].ids), 0) == 1
      error_message = "egress_mode = \"endpoints\" has no internet, and this plan would boot a new broker host (first apply, changed user data, or the host is gone), which must pull its images and the Compose plugin from the internet and would die at boot. Apply with egress_mode = \"nat\" until the CA secret has a value, then switch back to \"endpoints\" (infra/README.md, \"How the images reach the host\")."
    }
  }

  depends_on = [
    aws_secretsmanager_secret_version.kafka_user,
    aws_iam_role_policy.broker,
    aws_route.private_nat,
    aws_vpc_endpoint.interface,
  ]
}

# The Kafka log directory, the CA and the cluster id live here, not on the instance: replacing the
# instance (a user data change, -replace) re-attaches this volume and keeps every topic. Only
# `terraform destroy` deletes it. No prevent_destroy, so that destroy keeps working as teardown.
resource "aws_ebs_volume" "kafka_data" {
  count = local.self_managed ? 1 : 0

  availability_zone = local.broker_az
  type              = "gp3"
  size              = var.data_volume_size_gib
  encrypted         = true

  tags = {
    Name = "${local.name}-kafka-data"
    # The target of the snapshot policy (broker-operations.tf).
    Snapshot = "${local.name}-kafka-data"
  }
}

resource "aws_volume_attachment" "kafka_data" {
  count = local.self_managed ? 1 : 0

  device_name = local.data_device
  volume_id   = aws_ebs_volume.kafka_data[0].id
  instance_id = aws_instance.broker[0].id
  # Stop the old host before detaching on a replacement, so Kafka shuts down cleanly and the file
  # system is unmounted instead of being pulled away from a running broker.
  stop_instance_before_detaching = true
}
