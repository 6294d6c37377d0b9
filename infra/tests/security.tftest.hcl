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
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { insecure_value = "ami-0f1e2d3c4b5a69788", value = "ami-0f1e2d3c4b5a69788" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "Zq4mT8vK2pX9rL6sW3nB7yH5cF1dG0jA" }
  }
  mock_data "aws_ec2_instance_type_offerings" {
    defaults = { instance_types = ["t4g.medium"] }
  }
  mock_data "aws_instances" {
    defaults = { ids = [] }
  }

  # Mock values fill only what the configuration leaves unset: a key_name set in the configuration
  # would show through and fail the assertions below. The instance's own IP differs from the ENI's
  # on purpose: the bootstrap address must not come from the instance.
  mock_resource "aws_instance" {
    defaults = {
      id         = "i-0a1b2c3d4e5f60718"
      private_ip = "10.40.1.23"
      key_name   = ""
    }
  }
  mock_resource "aws_ebs_volume" {
    defaults = { id = "vol-0a1b2c3d4e5f60718" }
  }
  mock_resource "aws_network_interface" {
    defaults = { id = "eni-0a1b2c3d4e5f60718" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", key_id = "11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/orders-dlq/dev/session-manager" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:orders-dlq-dev-kafka-alarms" }
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
  target          = aws_secretsmanager_secret.kafka_user["esm"]
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-esm-AbCdE1" }
}
override_resource {
  override_during = plan
  target          = aws_secretsmanager_secret.kafka_user["producer"]
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-producer-AbCdE2" }
}
override_resource {
  override_during = plan
  target          = aws_secretsmanager_secret.kafka_user["ui"]
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-ui-AbCdE3" }
}
override_resource {
  override_during = plan
  target          = aws_secretsmanager_secret.kafka_user["admin"]
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-admin-AbCdE4" }
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
    condition     = aws_instance.broker[0].metadata_options[0].http_tokens == "required"
    error_message = "IMDSv2 must be required on the broker host (http_tokens = \"required\")."
  }

  assert {
    condition     = aws_instance.broker[0].metadata_options[0].http_put_response_hop_limit == 1
    error_message = "The IMDS hop limit must be 1, so bridge-networked containers cannot reach instance credentials (host-network containers are stopped by the iptables rule in the user data)."
  }

  assert {
    condition     = aws_instance.broker[0].key_name == ""
    error_message = "The broker host must have no EC2 key pair."
  }

  assert {
    condition = (
      [for eni in aws_instance.broker[0].network_interface : eni.network_interface_id if eni.device_index == 0] == [aws_network_interface.broker[0].id] &&
      aws_network_interface.broker[0].subnet_id == aws_subnet.private[0].id &&
      aws_subnet.private[0].map_public_ip_on_launch == false &&
      aws_network_interface.broker[0].security_groups == toset([aws_security_group.broker.id])
    )
    error_message = "The broker's primary interface must be the persistent ENI in a private subnet (no public IP), in the broker security group."
  }

  assert {
    condition     = alltrue([for disk in aws_instance.broker[0].root_block_device : disk.encrypted])
    error_message = "The root volume must be encrypted."
  }

  assert {
    condition     = aws_instance.broker[0].ami == "ami-0f1e2d3c4b5a69788"
    error_message = "The broker must use the Amazon Linux 2023 AMI from SSM."
  }

  assert {
    condition     = data.aws_ssm_parameter.al2023_ami[0].name == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
    error_message = "The default AMI must be Amazon Linux 2023 for arm64 (t4g.medium)."
  }
}

run "bootstrap_address_outlives_the_instance" {
  command = plan

  assert {
    condition = (
      output.bootstrap_servers == "10.40.1.10:9096" &&
      aws_ssm_parameter.plain["kafka/bootstrap-servers"].value == "10.40.1.10:9096" &&
      aws_network_interface.broker[0].private_ips == toset(["10.40.1.10"])
    )
    error_message = "bootstrap-servers must be the persistent ENI's fixed address and the SASL_SSL port."
  }

  assert {
    condition     = !strcontains(output.bootstrap_servers, aws_instance.broker[0].private_ip)
    error_message = "bootstrap-servers must not come from the instance, whose address a replacement changes."
  }

  assert {
    condition = alltrue([
      for needle in [
        "BROKER_IP='10.40.1.10'",
        "[[ $PRIVATE_IP == \"$BROKER_IP\" ]] || die",
        "\"--bootstrap-server\", \"10.40.1.10:9096\"",
      ] : strcontains(local.user_data, needle)
    ])
    error_message = "The host must check that it boots on the ENI's address, which renew-cert.sh puts in the certificate's SAN (IMDS local-ipv4)."
  }
}

run "replacing_the_instance_keeps_the_bootstrap_address" {
  command = plan

  # A replacement host: another instance ID and another instance address.
  override_resource {
    target = aws_instance.broker[0]
    values = { id = "i-0ffffffffffffffff", private_ip = "10.40.1.99" }
  }

  assert {
    condition = (
      output.bootstrap_servers == run.bootstrap_address_outlives_the_instance.bootstrap_servers &&
      aws_ssm_parameter.plain["kafka/bootstrap-servers"].value == "10.40.1.10:9096"
    )
    error_message = "A new instance must not change bootstrap-servers, or every event source mapping would point at a dead address."
  }
}

run "kafka_data_survives_instance_replacement" {
  command = plan

  assert {
    condition     = length(aws_instance.broker[0].ebs_block_device) == 0
    error_message = "The Kafka data must not be an inline ebs_block_device: it would be deleted with the instance."
  }

  assert {
    condition = (
      aws_ebs_volume.kafka_data[0].encrypted == true && aws_ebs_volume.kafka_data[0].type == "gp3" &&
      aws_ebs_volume.kafka_data[0].size == 20
    )
    error_message = "The Kafka data volume must be a separate encrypted gp3 aws_ebs_volume of data_volume_size_gib."
  }

  assert {
    condition     = aws_ebs_volume.kafka_data[0].availability_zone == "eu-west-1a" && aws_ebs_volume.kafka_data[0].availability_zone == aws_subnet.private[0].availability_zone
    error_message = "The Kafka data volume must be in the AZ of the broker's subnet."
  }

  assert {
    condition = (
      aws_volume_attachment.kafka_data[0].instance_id == aws_instance.broker[0].id &&
      aws_volume_attachment.kafka_data[0].volume_id == aws_ebs_volume.kafka_data[0].id &&
      aws_volume_attachment.kafka_data[0].device_name == "/dev/sdf" &&
      aws_volume_attachment.kafka_data[0].stop_instance_before_detaching == true
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
    condition     = !strcontains(aws_iam_role_policy.broker[0].policy, "AmazonSSMManagedInstanceCore")
    error_message = "The broker role must not carry AmazonSSMManagedInstanceCore: it reads every SSM parameter, the UI token among them."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(aws_iam_role_policy.broker[0].policy).Statement : alltrue([
        for action in statement.Action :
        !startswith(action, "ssm:") || action == "ssm:UpdateInstanceInformation"
      ])
    ])
    error_message = "The broker role may call no SSM API but the agent's registration: no ssm:GetParameter(s), no parameter access at all."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(aws_iam_role_policy.broker[0].policy).Statement :
      !anytrue([for action in statement.Action : endswith(action, ":*") || action == "*"])
    ])
    error_message = "The broker role must list its actions; no service-wide wildcards."
  }

  assert {
    condition = {
      for statement in jsondecode(aws_iam_role_policy.broker[0].policy).Statement : statement.Sid => statement.Resource
      if contains(statement.Action, "secretsmanager:GetSecretValue") || contains(statement.Action, "secretsmanager:PutSecretValue")
      } == {
      ReadKafkaUserSecrets = [
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-admin-AbCdE4",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-esm-AbCdE1",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-producer-AbCdE2",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/orders-ui-AbCdE3",
      ]
      PublishCaCertificate = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/ca-GhIjKl"]
    }
    error_message = "The broker role may only read the four Kafka user secrets and write the CA secret."
  }

  assert {
    condition = [
      for statement in jsondecode(aws_iam_role_policy.broker[0].policy).Statement : statement.Resource
      if contains(statement.Action, "logs:PutLogEvents")
    ] == [["arn:aws:logs:eu-west-1:123456789012:log-group:/orders-dlq/dev/session-manager:*"]]
    error_message = "The broker role may write only to the session log group."
  }
}

run "session_manager_sessions_are_logged_encrypted" {
  command = plan

  assert {
    condition = (
      aws_cloudwatch_log_group.sessions[0].kms_key_id == aws_kms_key.session_logs[0].arn &&
      aws_kms_key.session_logs[0].enable_key_rotation == true
    )
    error_message = "The session log group must be encrypted with a rotated customer managed key."
  }

  assert {
    condition = (
      jsondecode(aws_ssm_document.session[0].content).inputs.cloudWatchLogGroupName == "/orders-dlq/dev/session-manager" &&
      jsondecode(aws_ssm_document.session[0].content).inputs.cloudWatchEncryptionEnabled == true &&
      aws_ssm_document.session[0].document_type == "Session"
    )
    error_message = "The session document must stream every session to the encrypted log group."
  }

  assert {
    condition     = strcontains(output.session_command, "--document-name orders-dlq-dev-session")
    error_message = "The documented shell command must use the logging session document."
  }
}

run "kafka_users_have_their_own_secrets_and_acls" {
  command = plan

  assert {
    condition = {
      for key, secret in aws_secretsmanager_secret.kafka_user : key => secret.name
      } == {
      esm      = "AmazonMSK_orders-dlq/dev/kafka/orders-esm"
      producer = "AmazonMSK_orders-dlq/dev/kafka/orders-producer"
      ui       = "AmazonMSK_orders-dlq/dev/kafka/orders-ui"
      admin    = "AmazonMSK_orders-dlq/dev/kafka/orders-admin"
    }
    error_message = "Each Kafka user must have its own AmazonMSK_-prefixed secret."
  }

  assert {
    condition = alltrue([
      for key, version in aws_secretsmanager_secret_version.kafka_user :
      jsondecode(version.secret_string).username == local.kafka_users[key] && jsondecode(version.secret_string).password == "Zq4mT8vK2pX9rL6sW3nB7yH5cF1dG0jA"
    ]) && alltrue([for secret in aws_secretsmanager_secret.kafka_user : secret.kms_key_id == aws_kms_key.kafka.arn])
    error_message = "Each user secret must hold {\"username\", \"password\"} (SASL_SCRAM_512_AUTH) under the customer managed key."
  }

  assert {
    condition = alltrue([
      for needle in [
        "acl --allow-principal User:orders-esm --operation Read --operation Describe --topic orders.v1 --resource-pattern-type literal\n",
        "acl --allow-principal User:orders-esm --operation Read --operation Describe --topic orders.retry --resource-pattern-type literal\n",
        "acl --allow-principal User:orders-esm --operation Read --operation Describe --group orders-main-consumer --resource-pattern-type literal\n",
        "acl --allow-principal User:orders-producer --operation Write --operation Describe --topic orders.dlq --resource-pattern-type literal\n",
        "acl --allow-principal User:orders-ui --operation Read --operation Describe --topic orders.dlq --resource-pattern-type literal\n",
        "acl --allow-principal User:orders-ui --operation Read --operation Write --operation Describe --topic orders.dlq.redrives --resource-pattern-type literal\n",
        "acl --allow-principal User:orders-ui --operation Read --operation Describe --group orders-ui- --resource-pattern-type prefixed\n",
        "acl --allow-principal User:orders-ui --operation Write --operation Describe --transactional-id orders-redrive- --resource-pattern-type prefixed\n",
        "acl --allow-principal User:orders-admin --operation All --cluster\n",
      ] : strcontains(local.kafka_setup_sh, needle)
    ])
    error_message = "The setup script must grant each user exactly its contract's ACLs."
  }

  assert {
    condition = (
      length(regexall("User:orders-producer --operation (Read|All|Alter|Delete)", local.kafka_setup_sh)) == 0 &&
      length(regexall("User:orders-esm --operation (Write|All|Alter|Delete)", local.kafka_setup_sh)) == 0 &&
      length(regexall("User:orders-ui --operation (All|Alter|Delete|AlterConfigs)", local.kafka_setup_sh)) == 0 &&
      length(regexall("User:orders-ui [^\n]*--operation Write[^\n]*--topic orders\\.dlq ", local.kafka_setup_sh)) == 0 &&
      length(regexall("--operation All", local.kafka_setup_sh)) == 2 &&
      sum([for acl in local.acls : length(acl.operations)]) == length(local.kafka_acls.bindings)
    )
    error_message = "Only orders-admin may hold All, Alter or Delete; the UI must not write orders.dlq, the ESM user must not write at all."
  }

  assert {
    condition = alltrue([
      for needle in [
        "kafka bash \"$CONF/kafka-setup.sh\" \"$BROKER_IP:$KAFKA_PORT\" \"$CONF/secrets/$ADMIN_USER.properties\"",
        "ADMIN_USER='orders-admin'",
        "--add-config \"SCRAM-SHA-512=[password=$${PASSWORDS[$user]}]\"",
        "die \"orders-esm can see orders.dlq: the ACLs are not enforced\"",
        "--add-scram \"SCRAM-SHA-512=[name=$SCRAM_USERNAME,password=$SCRAM_PASSWORD]\"",
      ] : strcontains(local.user_data, needle)
    ])
    error_message = "The host must create the users as the admin, apply the ACLs and prove them with the ESM user at boot."
  }
}

run "redpanda_console_is_off_by_default" {
  command = plan

  assert {
    condition = (
      strcontains(local.compose_file, "    profiles: [console]\n") &&
      !strcontains(local.user_data, "COMPOSE_PROFILES=console") &&
      strcontains(local.compose_file, "SERVER_LISTENADDRESS: \"127.0.0.1\"") &&
      strcontains(local.compose_file, "KAFKA_SASL_ENABLED: \"true\"")
    )
    error_message = "Redpanda Console must be off unless console_enabled, loopback-only, and authenticate to Kafka when on."
  }
}

run "redpanda_console_can_be_switched_on" {
  command = plan

  variables {
    console_enabled = true
  }

  assert {
    condition     = strcontains(local.user_data, "printf 'COMPOSE_PROFILES=console\\n' > \"$CONF/.env\"") && strcontains(local.user_data, "'orders-ui'")
    error_message = "console_enabled must start Console through its compose profile, as orders-ui."
  }
}

run "operations_are_covered" {
  command = plan

  assert {
    condition = (
      aws_dlm_lifecycle_policy.kafka_data[0].policy_details[0].target_tags == tomap({ Snapshot = "orders-dlq-dev-kafka-data" }) &&
      aws_ebs_volume.kafka_data[0].tags.Snapshot == "orders-dlq-dev-kafka-data"
    )
    error_message = "The snapshot policy must target the data volume's tag."
  }

  assert {
    condition     = aws_dlm_lifecycle_policy.kafka_data[0].policy_details[0].schedule[0].retain_rule[0].count == 7 && aws_dlm_lifecycle_policy.kafka_data[0].policy_details[0].schedule[0].create_rule[0].interval == 24
    error_message = "The data volume must be snapshotted daily, seven kept."
  }

  assert {
    condition = (
      toset(keys(aws_cloudwatch_metric_alarm.kafka)) == toset(["host_down", "host_unresponsive", "broker_down", "disk_full", "memory_pressure"]) &&
      aws_cloudwatch_metric_alarm.kafka["host_down"].alarm_actions == toset(["arn:aws:automate:eu-west-1:ec2:recover", "arn:aws:sns:eu-west-1:123456789012:orders-dlq-dev-kafka-alarms"]) &&
      aws_cloudwatch_metric_alarm.kafka["disk_full"].threshold == 80 &&
      aws_cloudwatch_metric_alarm.kafka["disk_full"].dimensions == tomap({ InstanceId = "i-0a1b2c3d4e5f60718", path = "/var/lib/kafka-data" })
    )
    error_message = "The host needs alarms for host down (with EC2 auto-recovery), broker process down, disk over 80% and memory."
  }

  assert {
    condition = alltrue([
      for needle in [
        "dnf install -y docker jq openssl iptables-nft amazon-cloudwatch-agent\n",
        "\"max-size\": \"50m\"",
        "RequiresMountsFor=$DATA",
        "amazon-cloudwatch-agent-ctl -a fetch-config",
        "\"resources\":[\"/var/lib/kafka-data\"]",
      ] : strcontains(local.user_data, needle)
    ]) && strcontains(local.compose_file, "    stop_grace_period: 120s\n")
    error_message = "The host needs Docker log rotation, Docker waiting for the data volume, the CloudWatch agent and a stop grace period for Kafka."
  }

  assert {
    condition = (
      local.retention_bytes == 1431655765 &&
      strcontains(local.kafka_setup_sh, "--entity-name 'orders.retry' --add-config 'retention.bytes=1431655765,segment.bytes=357913941'") &&
      local.retention_bytes * 1.25 * 3 * var.topic_partitions <= 0.8 * var.data_volume_size_gib * 1073741824
    )
    error_message = "retention.bytes must be sized so that the three delete-policy topics stay under the 80% disk alarm."
  }
}

run "rejects_an_instance_type_the_zone_does_not_offer" {
  command = plan

  override_data {
    target = data.aws_ec2_instance_type_offerings.broker[0]
    values = { instance_types = [] }
  }

  expect_failures = [aws_instance.broker[0]]
}

run "user_data_bootstraps_kafka_and_fails_loudly" {
  command = plan

  assert {
    condition = (
      length(regexall(":PLAINTEXT", local.server_properties)) == 0 &&
      !strcontains(local.server_properties, "User:ANONYMOUS") &&
      length(regexall("(?m)^super\\.users=User:orders-admin$", local.server_properties)) == 1 &&
      strcontains(local.user_data, "-e \"s/__ADMIN_PASSWORD__/$${PASSWORDS[$ADMIN_USER]}/g\"") &&
      strcontains(local.user_data, "chmod 0400 \"$CONF/server.properties\"")
    )
    error_message = "The broker must have no unauthenticated listener, orders-admin must be its only super user, and the admin password in server.properties readable by Kafka's user only."
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
        "latest/api/token",
        "--topic 'orders.v1' --partitions '3' --replication-factor '1'",
        "--topic 'orders.retry' --partitions '3'",
        "--topic 'orders.dlq' --partitions '3'",
        "--topic 'orders.dlq.redrives' --partitions '3'",
        "--entity-name 'orders.dlq.redrives' --add-config 'cleanup.policy=compact'",
        "'retention.ms=1209600000,",
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
      strcontains(local.user_data, "--entity-name 'orders.v1' --add-config 'max.message.bytes=1048588,")
    )
    error_message = "The broker must allow 2 MiB records (retry/DLQ = order + failure headers) while orders.v1 alone is capped at 1048588 bytes."
  }

  assert {
    condition = alltrue([
      for needle in [
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
    error_message = "The SCRAM passwords must not be embedded in the user data; the host reads them from Secrets Manager."
  }

  assert {
    condition     = length(base64gzip(local.user_data)) * 3 / 4 < 16384 && aws_instance.broker[0].user_data_base64 == base64gzip(local.user_data)
    error_message = "The compressed user data exceeds EC2's 16 KiB limit."
  }
}
