# Offline checks of the egress modes, the SSM parameter contract with serverless.yml and the input
# validation, against a mocked AWS provider.

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
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_ec2_instance_type_offerings" {
    defaults = { instance_types = ["t4g.medium"] }
  }
  # By default a host booted with the current user data is running (the endpoints-mode guard passes);
  # the guard's own runs override this.
  mock_data "aws_instances" {
    defaults = { ids = ["i-0a1b2c3d4e5f60718"] }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", key_id = "11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/orders-dlq/dev/session-manager" }
  }
  mock_resource "aws_instance" {
    defaults = { id = "i-0a1b2c3d4e5f60718", private_ip = "10.40.1.23" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/x-AbCdEf" }
  }
}

override_resource {
  override_during = plan
  target          = aws_security_group.lambda
  values          = { id = "sg-0000000000000aaaa" }
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

run "nat_mode_is_the_default_and_creates_one_nat_gateway" {
  command = plan

  assert {
    condition     = var.egress_mode == "nat"
    error_message = "The default egress mode must be nat: it is the one in which the host can pull its images on first boot."
  }

  assert {
    condition = (
      length(aws_nat_gateway.this) == 1 && length(aws_internet_gateway.this) == 1 &&
      length(aws_subnet.public) == 1 && length(aws_route.private_nat) == 1 &&
      aws_route.private_nat[0].destination_cidr_block == "0.0.0.0/0"
    )
    error_message = "nat mode must create one NAT gateway, its public subnet and IGW, and a default route from the private subnets."
  }

  assert {
    condition     = aws_subnet.public[0].map_public_ip_on_launch == false
    error_message = "The NAT's public subnet must not give instances public IPs."
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    error_message = "nat mode must create no interface endpoints by default (everything goes through the NAT), only the free S3 gateway."
  }
}

run "nat_mode_can_add_the_session_manager_endpoints" {
  command = plan

  variables {
    session_manager_endpoints = true
  }

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["ssm", "ssmmessages", "ec2messages"])
    error_message = "session_manager_endpoints must add exactly the Session Manager endpoints in nat mode."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1
    error_message = "session_manager_endpoints must not remove the NAT gateway."
  }
}

run "endpoints_mode_creates_interface_endpoints_and_no_nat" {
  command = plan

  variables {
    egress_mode = "endpoints"
  }

  assert {
    condition = (
      length(aws_nat_gateway.this) == 0 && length(aws_internet_gateway.this) == 0 &&
      length(aws_subnet.public) == 0 && length(aws_eip.nat) == 0 && length(aws_route.private_nat) == 0
    )
    error_message = "endpoints mode must create no NAT gateway, IGW, public subnet or default route."
  }

  assert {
    condition = toset(keys(aws_vpc_endpoint.interface)) == toset([
      "ssm", "ssmmessages", "ec2messages", "lambda", "sts", "secretsmanager", "logs", "monitoring",
    ])
    error_message = "endpoints mode must create interface endpoints for Lambda, STS, Secrets Manager, Session Manager, its logs and the agent's metrics."
  }

  assert {
    condition = alltrue([
      for service, endpoint in aws_vpc_endpoint.interface :
      endpoint.private_dns_enabled && endpoint.vpc_endpoint_type == "Interface" &&
      endpoint.service_name == "com.amazonaws.eu-west-1.${service}" &&
      toset(endpoint.subnet_ids) == toset(["subnet-0000000000000aaa1", "subnet-0000000000000aaa2"])
    ])
    error_message = "Every interface endpoint must have private DNS, the regional service name, and sit in both private subnets."
  }

  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    error_message = "The S3 gateway endpoint (package repositories) must exist in endpoints mode."
  }
}

run "private_subnets_span_two_availability_zones" {
  command = plan

  assert {
    condition     = [for subnet in aws_subnet.private : subnet.availability_zone] == ["eu-west-1a", "eu-west-1b"]
    error_message = "The private subnets must sit in the first two available AZs."
  }

  assert {
    condition     = alltrue([for subnet in aws_subnet.private : subnet.map_public_ip_on_launch == false])
    error_message = "Private subnets must not assign public IPs."
  }
}

run "ssm_parameters_match_the_serverless_contract" {
  command = plan

  assert {
    condition = toset([for param in aws_ssm_parameter.plain : param.name]) == toset([
      "/orders-dlq/dev/kafka/mode",
      "/orders-dlq/dev/kafka/bootstrap-servers",
      "/orders-dlq/dev/kafka/esm-secret-arn",
      "/orders-dlq/dev/kafka/producer-secret-arn",
      "/orders-dlq/dev/kafka/ui-secret-arn",
      "/orders-dlq/dev/kafka/secrets-kms-key-arn",
      "/orders-dlq/dev/kafka/ca-secret-arn",
      "/orders-dlq/dev/kafka/msk-cluster-arn",
      "/orders-dlq/dev/kafka/broker-instance-id",
      "/orders-dlq/dev/network/subnet-ids",
      "/orders-dlq/dev/network/lambda-sg-id",
    ])
    error_message = "The SSM parameter names are the contract with serverless.yml and must not drift."
  }

  assert {
    condition     = aws_ssm_parameter.plain["kafka/bootstrap-servers"].value == "10.40.1.10:9096" && aws_ssm_parameter.plain["kafka/bootstrap-servers"].type == "StringList" && output.bootstrap_servers == "10.40.1.10:9096"
    error_message = "bootstrap-servers must be the broker ENI's fixed private IP and the SASL_SSL port."
  }

  assert {
    condition = (
      aws_ssm_parameter.plain["network/subnet-ids"].type == "StringList" &&
      aws_ssm_parameter.plain["network/subnet-ids"].value == "subnet-0000000000000aaa1,subnet-0000000000000aaa2"
    )
    error_message = "subnet-ids must be a StringList of both private subnets."
  }

  assert {
    condition     = aws_ssm_parameter.plain["network/lambda-sg-id"].value == "sg-0000000000000aaaa" && output.lambda_security_group_id == "sg-0000000000000aaaa"
    error_message = "lambda-sg-id must be the Lambda security group."
  }

  assert {
    condition     = aws_ssm_parameter.ui_access_token.name == "/orders-dlq/dev/ui/access-token" && aws_ssm_parameter.ui_access_token.type == "SecureString"
    error_message = "The UI access token must be the SecureString /orders-dlq/dev/ui/access-token."
  }

  assert {
    condition = (
      aws_ssm_parameter.plain["kafka/mode"].value == "self-managed" &&
      aws_ssm_parameter.plain["kafka/secrets-kms-key-arn"].value == aws_kms_key.kafka.arn &&
      aws_ssm_parameter.plain["kafka/esm-secret-arn"].value == aws_secretsmanager_secret.kafka_user["esm"].arn &&
      aws_ssm_parameter.plain["kafka/producer-secret-arn"].value == aws_secretsmanager_secret.kafka_user["producer"].arn &&
      aws_ssm_parameter.plain["kafka/ui-secret-arn"].value == aws_secretsmanager_secret.kafka_user["ui"].arn &&
      can(regex("^arn:aws:kafka:eu-west-1:123456789012:cluster/none/", aws_ssm_parameter.plain["kafka/msk-cluster-arn"].value))
    )
    error_message = "The mode, the key and each function's own Kafka user secret must be in SSM; the MSK ARN is a well-formed placeholder in self-managed mode."
  }
}

run "stage_changes_every_parameter_prefix" {
  command = plan

  variables {
    stage = "prod"
  }

  assert {
    condition = alltrue([
      for param in concat(values(aws_ssm_parameter.plain), [aws_ssm_parameter.ui_access_token]) :
      startswith(param.name, "/orders-dlq/prod/")
    ])
    error_message = "Every SSM parameter must live under /<project>/<stage>/."
  }
}

run "rejects_an_unknown_egress_mode" {
  command = plan

  variables {
    egress_mode = "internet"
  }

  expect_failures = [var.egress_mode]
}

run "rejects_an_instance_type_of_the_wrong_architecture" {
  command = plan

  variables {
    instance_type = "t3.medium"
  }

  expect_failures = [var.instance_type]
}

run "rejects_an_unpinned_kafka_image" {
  command = plan

  variables {
    kafka_image = "apache/kafka:latest"
  }

  expect_failures = [var.kafka_image]
}

run "switching_egress_mode_keeps_the_broker_user_data" {
  command = plan

  variables {
    egress_mode = "endpoints"
  }

  # The README's path for endpoints mode is "boot in nat mode, then switch": that only works if the
  # switch leaves the user data, and so the instance (user_data_replace_on_change), untouched.
  assert {
    condition     = output.broker_user_data_sha256 == run.nat_mode_is_the_default_and_creates_one_nat_gateway.broker_user_data_sha256
    error_message = "The user data must not depend on egress_mode, or switching modes replaces the broker."
  }
}

run "endpoints_mode_refuses_to_boot_a_new_host" {
  command = plan

  variables {
    egress_mode = "endpoints"
  }

  # No running host carries the current user data hash: a first apply, a user-data change or a lost host.
  override_data {
    target = data.aws_instances.booted_broker[0]
    values = { ids = [] }
  }

  expect_failures = [aws_instance.broker[0]]
}

run "endpoints_mode_keeps_a_host_booted_with_the_same_user_data" {
  command = plan

  variables {
    egress_mode = "endpoints"
  }

  assert {
    condition = (
      data.aws_instances.booted_broker[0].instance_tags == tomap({ Name = "orders-dlq-dev-kafka", UserDataSha256 = sha256(local.user_data) }) &&
      aws_instance.broker[0].tags.UserDataSha256 == sha256(local.user_data)
    )
    error_message = "The guard must look for the running host by the hash of the user data it booted with."
  }
}

run "nat_mode_needs_no_booted_host" {
  command = plan

  assert {
    condition     = length(data.aws_instances.booted_broker) == 0 && length(aws_instance.broker) == 1
    error_message = "In nat mode a new host can always boot: no guard lookup."
  }
}
