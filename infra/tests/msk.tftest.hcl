# Offline checks of kafka_mode = "msk", against a mocked AWS provider: an MSK provisioned cluster
# replaces the EC2 host, with the same users, topics and ACLs.

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
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "Zq4mT8vK2pX9rL6sW3nB7yH5cF1dG0jA" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", key_id = "11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_msk_configuration" {
    defaults = { arn = "arn:aws:kafka:eu-west-1:123456789012:configuration/orders-dlq-dev-kafka/aaaa", latest_revision = 1 }
  }
  mock_resource "aws_msk_cluster" {
    defaults = {
      arn                          = "arn:aws:kafka:eu-west-1:123456789012:cluster/orders-dlq-dev-kafka/bbbb-1"
      bootstrap_brokers_sasl_scram = "b-1.orders.kafka.eu-west-1.amazonaws.com:9096,b-2.orders.kafka.eu-west-1.amazonaws.com:9096,b-3.orders.kafka.eu-west-1.amazonaws.com:9096"
    }
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
  target          = aws_subnet.private[2]
  values          = { id = "subnet-0000000000000aaa3" }
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

variables {
  kafka_mode = "msk"
}

run "msk_replaces_the_ec2_host" {
  command = plan

  assert {
    condition = (
      length(aws_instance.broker) == 0 && length(aws_network_interface.broker) == 0 &&
      length(aws_ebs_volume.kafka_data) == 0 && length(aws_iam_role.broker) == 0 &&
      length(aws_msk_cluster.this) == 1
    )
    error_message = "msk mode must create the MSK cluster and none of the EC2 host's resources."
  }

  assert {
    condition = (
      aws_msk_cluster.this[0].number_of_broker_nodes == 3 &&
      length(aws_msk_cluster.this[0].broker_node_group_info[0].client_subnets) == 3 &&
      [for subnet in aws_subnet.private : subnet.availability_zone] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    )
    error_message = "The cluster must have three brokers, one in each of three AZs."
  }

  assert {
    condition = alltrue([
      for line in ["default.replication.factor=3", "min.insync.replicas=2", "auto.create.topics.enable=false", "unclean.leader.election.enable=false"] :
      contains(split("\n", aws_msk_configuration.this[0].server_properties), line)
    ])
    error_message = "The cluster must replicate three times, require two in-sync replicas and never auto-create topics."
  }

  assert {
    condition     = strcontains(local.kafka_setup_sh, "--partitions '3' --replication-factor '3'")
    error_message = "The topics must be created with replication factor 3 on MSK."
  }
}

run "msk_authenticates_with_scram_secrets_under_a_customer_key" {
  command = plan

  assert {
    condition = (
      aws_msk_cluster.this[0].client_authentication[0].sasl[0].scram == true &&
      aws_msk_cluster.this[0].client_authentication[0].unauthenticated == false &&
      aws_msk_cluster.this[0].encryption_info[0].encryption_in_transit[0].client_broker == "TLS" &&
      aws_msk_cluster.this[0].encryption_info[0].encryption_in_transit[0].in_cluster == true &&
      aws_msk_cluster.this[0].encryption_info[0].encryption_at_rest_kms_key_arn == aws_kms_key.kafka.arn
    )
    error_message = "MSK must take SASL/SCRAM only, over TLS, with storage under the customer managed key."
  }

  assert {
    condition = alltrue([
      for secret in aws_secretsmanager_secret.kafka_user :
      startswith(secret.name, "AmazonMSK_") && secret.kms_key_id == "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    ]) && length(aws_secretsmanager_secret.kafka_user) == 4
    error_message = "MSK SCRAM secrets must be named AmazonMSK_* and encrypted with the customer managed key, one per user."
  }

  assert {
    condition     = aws_msk_scram_secret_association.this[0].secret_arn_list == toset([for secret in aws_secretsmanager_secret.kafka_user : secret.arn]) && aws_msk_scram_secret_association.this[0].cluster_arn == aws_msk_cluster.this[0].arn
    error_message = "All four users must be associated with the cluster."
  }

  assert {
    condition = (
      aws_msk_cluster.this[0].broker_node_group_info[0].connectivity_info[0].public_access[0].type == "DISABLED" &&
      aws_msk_cluster.this[0].broker_node_group_info[0].security_groups == toset([aws_security_group.broker.id])
    )
    error_message = "The brokers must have no public access and sit in the broker security group."
  }
}

run "msk_publishes_what_serverless_reads" {
  command = plan

  assert {
    condition = (
      aws_ssm_parameter.plain["kafka/mode"].value == "msk" &&
      aws_ssm_parameter.plain["kafka/msk-cluster-arn"].value == "arn:aws:kafka:eu-west-1:123456789012:cluster/orders-dlq-dev-kafka/bbbb-1" &&
      aws_ssm_parameter.plain["kafka/bootstrap-servers"].value == aws_msk_cluster.this[0].bootstrap_brokers_sasl_scram &&
      !contains(keys(aws_ssm_parameter.plain), "kafka/broker-instance-id")
    )
    error_message = "msk mode must publish the mode, the cluster ARN and the SASL/SCRAM bootstrap brokers."
  }

  assert {
    condition     = output.msk_kafka_setup_script == local.kafka_setup_sh && output.broker_instance_id == null
    error_message = "msk mode must print the topic and ACL setup script and no host."
  }
}

run "msk_admits_no_cidr_and_lets_its_pollers_in" {
  command = plan

  assert {
    condition = alltrue([
      for rule in aws_vpc_security_group_ingress_rule.this :
      rule.cidr_ipv4 == null && rule.cidr_ipv6 == null && rule.prefix_list_id == null
    ])
    error_message = "No ingress rule may admit a CIDR (0.0.0.0/0 least of all) in msk mode."
  }

  assert {
    condition = toset([
      for rule in aws_vpc_security_group_ingress_rule.this : rule.referenced_security_group_id
      if rule.security_group_id == aws_security_group.broker.id
    ]) == toset([aws_security_group.lambda.id, aws_security_group.broker.id])
    error_message = "The brokers must admit the Lambda security group and themselves (the MSK event source mappings' pollers), nothing else."
  }

  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_ingress_rule.this : rule.from_port == 443 || rule.from_port == 9096 && rule.to_port == 9096])
    error_message = "MSK takes SASL/SCRAM on 9096 only."
  }
}

run "msk_in_endpoints_mode_reaches_the_kafka_api" {
  command = plan

  variables {
    egress_mode = "endpoints"
  }

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["lambda", "sts", "secretsmanager", "kafka"])
    error_message = "endpoints mode with MSK needs the kafka endpoint (GetBootstrapBrokers) and the event source mapping's Lambda, STS and Secrets Manager endpoints."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_msk_cluster.this) == 1
    error_message = "MSK needs no internet: endpoints mode must work without a NAT gateway."
  }
}

run "msk_alarms_on_broker_disks" {
  command = plan

  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.kafka)) == toset(["msk_broker_1_disk_full", "msk_broker_2_disk_full", "msk_broker_3_disk_full"]) && alltrue([
      for alarm in aws_cloudwatch_metric_alarm.kafka : alarm.namespace == "AWS/Kafka" && alarm.threshold == 80
    ])
    error_message = "Each MSK broker needs a disk alarm at 80%."
  }
}
