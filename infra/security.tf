resource "aws_security_group" "lambda" {
  name        = "${local.name}-lambda"
  description = "Lambda functions and Kafka event source mappings: egress only"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${local.name}-lambda" }
}

resource "aws_security_group" "broker" {
  name        = "${local.name}-broker"
  description = "Kafka brokers (EC2 host or MSK): SASL_SSL from the Lambda SG only; no SSH, console via Session Manager"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${local.name}-broker" }
}

resource "aws_security_group" "endpoints" {
  name        = "${local.name}-endpoints"
  description = "Interface VPC endpoints: HTTPS from the VPC's own security groups"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${local.name}-endpoints" }
}

locals {
  # Every ingress rule of the stack lives in this one map, so the offline tests see all of them.
  # Each one names a source security group: there is no CIDR ingress at all, and none on 22 or on
  # the console port (the console is reached through Session Manager port forwarding).
  ingress_rules = merge({
    broker_kafka_from_lambda = {
      security_group_id = aws_security_group.broker.id
      source            = aws_security_group.lambda.id
      port              = local.kafka_port
      description       = "Kafka SASL_SSL from Lambda functions and event source mappings"
    }
    endpoints_https_from_lambda = {
      security_group_id = aws_security_group.endpoints.id
      source            = aws_security_group.lambda.id
      port              = 443
      description       = "AWS APIs from Lambda functions and event source mappings"
    }
    endpoints_https_from_broker = {
      security_group_id = aws_security_group.endpoints.id
      source            = aws_security_group.broker.id
      port              = 443
      description       = "Session Manager and Secrets Manager from the broker host"
    }
    }, local.msk ? {
    # An MSK event source mapping puts its pollers in the cluster's subnets with the cluster's
    # security group, so the group must admit itself.
    # https://docs.aws.amazon.com/lambda/latest/dg/with-msk-cluster-network.html
    broker_kafka_from_self = {
      security_group_id = aws_security_group.broker.id
      source            = aws_security_group.broker.id
      port              = local.kafka_port
      description       = "Kafka SASL_SSL from the MSK event source mappings' pollers"
    }
  } : {})

  # Egress by CIDR is HTTPS only: AWS APIs (through the endpoints or the NAT gateway) and, for the
  # broker host in "nat" mode, Docker image pulls. DNS and NTP go to the VPC resolver and the Time
  # Sync Service, which security groups do not filter.
  egress_rules = merge({
    lambda_kafka_to_broker = {
      security_group_id = aws_security_group.lambda.id
      destination_sg    = aws_security_group.broker.id
      cidr              = null
      port              = local.kafka_port
      description       = "Kafka SASL_SSL to the broker"
    }
    lambda_https = {
      security_group_id = aws_security_group.lambda.id
      destination_sg    = null
      cidr              = "0.0.0.0/0"
      port              = 443
      description       = "AWS APIs (STS, Lambda, Secrets Manager, SSM) via endpoints or NAT"
    }
    broker_https = {
      security_group_id = aws_security_group.broker.id
      destination_sg    = null
      cidr              = "0.0.0.0/0"
      port              = 443
      description       = "AWS APIs, package repositories and image registries"
    }
    }, local.msk ? {
    broker_kafka_to_self = {
      security_group_id = aws_security_group.broker.id
      destination_sg    = aws_security_group.broker.id
      cidr              = null
      port              = local.kafka_port
      description       = "Kafka SASL_SSL from the MSK event source mappings' pollers to the brokers"
    }
  } : {})
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = local.ingress_rules

  security_group_id            = each.value.security_group_id
  referenced_security_group_id = each.value.source
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.value.description

  tags = { Name = each.key }
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.egress_rules

  security_group_id            = each.value.security_group_id
  referenced_security_group_id = each.value.destination_sg
  cidr_ipv4                    = each.value.cidr
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.value.description

  tags = { Name = each.key }
}
