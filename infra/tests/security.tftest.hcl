# Offline checks of the security properties, against a mocked AWS provider (no credentials, no
# network). `override_during = plan` makes the mocked IDs and ARNs known at plan time, so the
# assertions compare real references instead of "(known after apply)".

mock_provider "aws" {
  override_during = plan

  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { insecure_value = "ami-0f1e2d3c4b5a69788", value = "ami-0f1e2d3c4b5a69788" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "Zq4mT8vK2pX9rL6sW3nB7yH5cF1dG0jA" }
  }

  # Mock values fill only what the configuration leaves unset: a key_name or a public IP set in
  # the configuration would show through and fail the assertions below.
  mock_resource "aws_instance" {
    defaults = {
      id                          = "i-0a1b2c3d4e5f60718"
      private_ip                  = "10.40.1.23"
      key_name                    = ""
      associate_public_ip_address = false
    }
  }
  mock_resource "aws_ebs_volume" {
    defaults = { id = "vol-0a1b2c3d4e5f60718" }
  }
}

override_resource {
  override_during = plan
  target          = aws_security_group.lambda
  values          = { id = "sg-0000000000000aaaa" }
}
override_resource {
  override_during = plan
  target          = aws_security_group.broker
  values          = { id = "sg-0000000000000bbbb" }
}
override_resource {
  override_during = plan
  target          = aws_security_group.endpoints
  values          = { id = "sg-0000000000000cccc" }
}
override_resource {
  override_during = plan
  target          = aws_subnet.private[0]
  values          = { id = "subnet-0000000000000aaa1" }
}
override_resource {
  override_during = plan
  target          = aws_subnet.private[1]
  values          = { id = "subnet-0000000000000aaa2" }
}
override_resource {
  override_during = plan
  target          = aws_secretsmanager_secret.scram
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/scram-AbCdEf" }
}
override_resource {
  override_during = plan
  target          = aws_secretsmanager_secret.ca
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/ca-GhIjKl" }
}

run "security_groups_admit_no_cidr_and_no_ssh" {
  command = plan

  assert {
    condition = alltrue([
      for rule in aws_vpc_security_group_ingress_rule.this :
      rule.cidr_ipv4 == null && rule.cidr_ipv6 == null && rule.prefix_list_id == null
    ])
    error_message = "An ingress rule admits a CIDR or prefix list; every ingress must name a source security group."
  }

  assert {
    condition = alltrue([
      for rule in aws_vpc_security_group_ingress_rule.this :
      rule.cidr_ipv4 != "0.0.0.0/0" && rule.cidr_ipv6 != "::/0"
    ])
    error_message = "An ingress rule is open to the internet (0.0.0.0/0 or ::/0)."
  }

  assert {
    condition = alltrue([
      for rule in aws_vpc_security_group_ingress_rule.this :
      rule.ip_protocol == "tcp" && !(rule.from_port <= 22 && rule.to_port >= 22)
    ])
    error_message = "An ingress rule opens port 22 (or all ports); shell access is Session Manager only."
  }

  assert {
    condition = alltrue([
      for rule in aws_vpc_security_group_ingress_rule.this :
      !(rule.from_port <= var.console_port && rule.to_port >= var.console_port)
    ])
    error_message = "An ingress rule opens the Redpanda Console port; it must be reachable only through Session Manager port forwarding."
  }

  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_egress_rule.this : rule.cidr_ipv4 == null || rule.from_port == 443 && rule.to_port == 443])
    error_message = "An egress rule to a CIDR allows more than HTTPS."
  }
}

run "kafka_port_is_open_to_the_lambda_security_group_only" {
  command = plan

  assert {
    condition = [
      for rule in aws_vpc_security_group_ingress_rule.this : rule.referenced_security_group_id
      if rule.security_group_id == aws_security_group.broker.id
    ] == [aws_security_group.lambda.id]
    error_message = "The broker security group must have exactly one ingress rule, from the Lambda security group."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.this["broker_kafka_from_lambda"].from_port == 9096 &&
      aws_vpc_security_group_ingress_rule.this["broker_kafka_from_lambda"].to_port == 9096
    )
    error_message = "The broker ingress must be the SASL_SSL port 9096 alone."
  }

  assert {
    condition = [
      for rule in aws_vpc_security_group_ingress_rule.this : rule.security_group_id
      if rule.referenced_security_group_id == aws_security_group.lambda.id || rule.referenced_security_group_id == aws_security_group.broker.id
    ] == [for rule in aws_vpc_security_group_ingress_rule.this : rule.security_group_id]
    error_message = "Every ingress rule must come from the Lambda or the broker security group."
  }

  assert {
    condition = toset([
      for rule in aws_vpc_security_group_ingress_rule.this : rule.referenced_security_group_id
      if rule.security_group_id == aws_security_group.endpoints.id && rule.from_port == 443 && rule.to_port == 443
    ]) == toset([aws_security_group.lambda.id, aws_security_group.broker.id])
    error_message = "The endpoint security group must admit HTTPS from the Lambda and broker security groups, and nothing else."
  }

  assert {
    condition     = length([for rule in aws_vpc_security_group_ingress_rule.this : rule if rule.security_group_id == aws_security_group.lambda.id]) == 0
    error_message = "The Lambda security group must have no ingress."
  }
}

run "broker_host_is_hardened" {
  command = plan

  assert {
    condition     = aws_instance.broker.metadata_options[0].http_tokens == "required"
    error_message = "IMDSv2 must be required on the broker host (http_tokens = \"required\")."
  }

  assert {
    condition     = aws_instance.broker.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "The IMDS hop limit must be 1, so bridge-networked containers cannot reach instance credentials (host-network containers are stopped by the iptables rule in the user data)."
  }

  assert {
    condition     = aws_instance.broker.key_name == ""
    error_message = "The broker host must have no EC2 key pair."
  }

  assert {
    condition     = aws_instance.broker.associate_public_ip_address == false
    error_message = "The broker host must have no public IP."
  }

  assert {
    condition     = alltrue([for disk in aws_instance.broker.root_block_device : disk.encrypted])
    error_message = "The root volume must be encrypted."
  }

  assert {
    condition     = aws_instance.broker.ami == "ami-0f1e2d3c4b5a69788" && aws_instance.broker.subnet_id == aws_subnet.private[0].id
    error_message = "The broker must use the Amazon Linux 2023 AMI from SSM and sit in a private subnet."
  }

  assert {
    condition     = data.aws_ssm_parameter.al2023_ami.name == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
    error_message = "The default AMI must be Amazon Linux 2023 for arm64 (t4g.medium)."
  }
}

run "kafka_data_survives_instance_replacement" {
  command = plan

  assert {
    condition     = length(aws_instance.broker.ebs_block_device) == 0
    error_message = "The Kafka data must not be an inline ebs_block_device: it would be deleted with the instance."
  }

  assert {
    condition = (
      aws_ebs_volume.kafka_data.encrypted == true && aws_ebs_volume.kafka_data.type == "gp3" &&
      aws_ebs_volume.kafka_data.size == 20
    )
    error_message = "The Kafka data volume must be a separate encrypted gp3 aws_ebs_volume of data_volume_size_gib."
  }

  assert {
    condition     = aws_ebs_volume.kafka_data.availability_zone == "eu-west-1a" && aws_ebs_volume.kafka_data.availability_zone == aws_subnet.private[0].availability_zone
    error_message = "The Kafka data volume must be in the AZ of the broker's subnet."
  }

  assert {
    condition = (
      aws_volume_attachment.kafka_data.instance_id == aws_instance.broker.id &&
      aws_volume_attachment.kafka_data.volume_id == aws_ebs_volume.kafka_data.id &&
      aws_volume_attachment.kafka_data.device_name == "/dev/sdf" &&
      aws_volume_attachment.kafka_data.stop_instance_before_detaching == true
    )
    error_message = "The data volume must be attached to the broker as /dev/sdf, stopping the old host before a detach."
  }

  assert {
    condition = alltrue([
      for needle in [
        "[[ -e $DATA_DEVICE ]] || die",
        "if ! blkid \"$DATA_DEVICE\" >/dev/null; then\n  mkfs.xfs",
        "if [[ ! -s /var/lib/kafka/data/meta.properties ]]; then",
        "sed -n 's/^cluster\\.id=//p' \"$DATA/kafka/meta.properties\" > \"$CONF/cluster-id\"",
      ] : strcontains(local.user_data, needle)
    ]) && !strcontains(local.user_data, "--ignore-formatted")
    error_message = "The user data must format the data volume and the KRaft log directory only when they are empty, and reuse the existing cluster id."
  }
}

run "instance_role_has_least_privilege" {
  command = plan

  assert {
    condition     = aws_iam_role_policy_attachment.broker_ssm.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    error_message = "The broker role must carry AmazonSSMManagedInstanceCore for Session Manager."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.broker_secrets.policy).Statement == [
      {
        Sid      = "ReadScramCredentials"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/scram-AbCdEf"]
      },
      {
        Sid      = "PublishCaCertificate"
        Effect   = "Allow"
        Action   = ["secretsmanager:PutSecretValue"]
        Resource = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/ca-GhIjKl"]
      },
    ]
    error_message = "The broker role may only read the SCRAM secret and write the CA secret."
  }
}

run "user_data_bootstraps_kafka_and_fails_loudly" {
  command = plan

  assert {
    condition = (
      length(regexall(":PLAINTEXT", local.server_properties)) == 0 &&
      !strcontains(local.server_properties, "User:ANONYMOUS") &&
      length(regexall("(?m)^super\\.users=User:orders-admin$", local.server_properties)) == 1 &&
      length(regexall("=\"\\$\\{file:/etc/kafka-broker/secrets/scram\\.env:SCRAM_PASSWORD\\}\"", local.server_properties)) == 3
    )
    error_message = "The broker must have no unauthenticated listener, orders-admin must be its only super user, and its password must come from the secret file, not the template."
  }

  assert {
    condition     = startswith(local.user_data, "#!/bin/bash\n") && strcontains(local.user_data, "\nset -euo pipefail\n")
    error_message = "The user data must be a bash script under set -euo pipefail."
  }

  assert {
    condition     = !strcontains(local.user_data, "|| true") && !strcontains(local.user_data, "set +e")
    error_message = "The user data must not swallow errors."
  }

  assert {
    condition = alltrue([
      for needle in [
        "image: apache/kafka:4.1.1",
        "image: docker.redpanda.com/redpandadata/console:v2.8.5",
        "restart: always",
        "auto.create.topics.enable=false",
        "CLIENT://__PRIVATE_IP__:9096",
        "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_SSL",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users=User:orders-admin\n",
        "allow.everyone.if.no.acl.found=false",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "--add-scram \"SCRAM-SHA-512=[name=$SCRAM_USERNAME,password=$SCRAM_PASSWORD]\"",
        "SERVER_LISTENADDRESS: \"127.0.0.1\"",
        "latest/api/token",
        "--topic 'orders.v1' --partitions '3'",
        "--topic 'orders.retry' --partitions '3'",
        "--topic 'orders.dlq' --partitions '3'",
        "'retention.ms=1209600000'",
        "put-secret-value",
        "{certificate: $certificate}",
      ] : strcontains(local.user_data, needle)
    ])
    error_message = "The user data is missing a required piece of the broker setup."
  }

  assert {
    condition = (
      strcontains(local.user_data, "\nmessage.max.bytes=2097152\n") &&
      strcontains(local.user_data, "\nreplica.fetch.max.bytes=2097152\n") &&
      strcontains(local.user_data, "--entity-name orders.v1 --add-config 'max.message.bytes=1048588'") &&
      length(regexall("max\\.message\\.bytes=", local.user_data)) == 1
    )
    error_message = "The broker must allow 2 MiB records (retry/DLQ = order + failure headers) while orders.v1 alone is capped at 1048588 bytes."
  }

  assert {
    condition = alltrue([
      for needle in [
        "dnf install -y docker jq openssl iptables-nft\n",
        "  iptables -A OUTPUT -d 169.254.169.254/32 -m owner ! --uid-owner 0 -j REJECT\n",
        "RequiredBy=docker.service\n",
        "systemctl enable --now imds-root-only.service\n",
        "    user: \"1000:1000\"\n",
        "    user: \"65534:65534\"\n",
      ] : strcontains(local.user_data, needle)
    ])
    error_message = "Only root may reach IMDS: the user data must install iptables-nft, add the owner rule at every boot before Docker, and run both containers as non-root users."
  }

  assert {
    condition     = can(regex("(?s)systemctl enable --now imds-root-only\\.service\n.*systemctl enable --now docker\n.*compose\\.yaml\" up -d\n", local.user_data))
    error_message = "The IMDS rule must be in place before Docker and the containers start."
  }

  assert {
    condition = alltrue([
      for needle in [
        "cat > /opt/kafka/renew-cert.sh <<'EOF_RENEW'\n",
        "/opt/kafka/renew-cert.sh --force\n",
        "openssl x509 -checkend 5184000",
        "ExecStart=/opt/kafka/renew-cert.sh\n",
        "systemctl enable --now kafka-cert-renew.timer\n",
        "docker compose -f \"$CONF/compose.yaml\" restart kafka",
      ] : strcontains(local.user_data, needle)
    ])
    error_message = "The server certificate must be issued by /opt/kafka/renew-cert.sh and renewed by kafka-cert-renew.timer before it expires."
  }

  assert {
    condition     = !strcontains(local.user_data, "Zq4mT8vK2pX9rL6sW3nB7yH5cF1dG0jA")
    error_message = "The SCRAM password must not be embedded in the user data; the host reads it from Secrets Manager."
  }

  assert {
    condition     = length(local.user_data) < 16384
    error_message = "The user data exceeds EC2's 16 KiB limit."
  }
}
