# Renders the scripts the broker host and MSK run, for test/infra/shellcheck.test.ts: it reads them
# from the plan's outputs (`terraform test -json -verbose`) and runs shellcheck and `bash -n` on each.

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
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/user-AbCdEf" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", key_id = "11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_msk_cluster" {
    defaults = {
      arn                          = "arn:aws:kafka:eu-west-1:123456789012:cluster/orders-dlq-dev-kafka/bbbb-1"
      bootstrap_brokers_sasl_scram = "b-1.orders.kafka.eu-west-1.amazonaws.com:9096"
    }
  }
}

run "render_self_managed" {
  command = plan

  assert {
    condition     = startswith(output.broker_user_data, "#!/bin/bash\n")
    error_message = "The user data must render."
  }
}

run "render_self_managed_with_console" {
  command = plan

  variables {
    console_enabled = true
  }

  assert {
    condition     = strcontains(output.broker_user_data, "COMPOSE_PROFILES=console")
    error_message = "The user data with the console must render."
  }
}

run "render_msk" {
  command = plan

  variables {
    kafka_mode = "msk"
  }

  assert {
    condition     = startswith(output.msk_kafka_setup_script, "#!/bin/bash\n")
    error_message = "The MSK setup script must render."
  }
}
