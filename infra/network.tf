data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_region" "current" {}

locals {
  name         = "${var.project}-${var.stage}"
  msk          = var.kafka_mode == "msk"
  self_managed = !local.msk
  # MSK spreads its three brokers over three AZs, one client subnet each; the EC2 host needs one AZ and
  # the Lambda functions two.
  subnet_count = local.msk ? 3 : 2
  azs          = slice(data.aws_availability_zones.available.names, 0, local.subnet_count)
  nat          = var.egress_mode == "nat"

  # Session Manager needs ssm, ssmmessages and ec2messages; a VPC Kafka event source mapping calls
  # Lambda, STS and Secrets Manager. In "nat" mode all of them are reached through the NAT gateway,
  # so the Session Manager endpoints there are optional (they keep shell access up without the NAT).
  # Without a NAT the host also needs CloudWatch Logs (session logs) and CloudWatch (agent metrics), and
  # in msk mode the producers call kafka:GetBootstrapBrokers through the `kafka` endpoint.
  # https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-vpc.html
  # https://docs.aws.amazon.com/msk/latest/developerguide/privatelink-vpc-endpoints.html
  interface_endpoint_services = concat(
    local.self_managed && (!local.nat || var.session_manager_endpoints) ? ["ssm", "ssmmessages", "ec2messages"] : [],
    local.nat ? [] : ["lambda", "sts", "secretsmanager"],
    local.nat || local.msk ? [] : ["logs", "monitoring"],
    !local.nat && local.msk ? ["kafka"] : [],
  )
}

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
  # Both are required for private DNS on interface endpoints.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = local.name }
}

resource "aws_subnet" "private" {
  count = local.subnet_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 1)
  # Nothing in these subnets is reachable from, or has an address on, the internet.
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-private-${local.azs[count.index]}", Tier = "private" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${local.name}-private" }
}

resource "aws_route_table_association" "private" {
  count = local.subnet_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# --- "nat" mode: one NAT gateway; the public subnet and IGW exist for it alone (nothing else is public).

resource "aws_internet_gateway" "this" {
  count = local.nat ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = { Name = local.name }
}

resource "aws_subnet" "public" {
  count = local.nat ? 1 : 0

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[0]
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, 101)
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-public-nat-only", Tier = "public" }
}

resource "aws_route_table" "public" {
  count = local.nat ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = { Name = "${local.name}-public" }
}

resource "aws_route" "public_internet" {
  count = local.nat ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = local.nat ? 1 : 0

  subnet_id      = aws_subnet.public[0].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count = local.nat ? 1 : 0

  domain = "vpc"
  tags   = { Name = "${local.name}-nat" }
}

resource "aws_nat_gateway" "this" {
  count = local.nat ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[0].id
  tags          = { Name = local.name }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_nat" {
  count = local.nat ? 1 : 0

  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

# --- Endpoints.

# Gateway endpoints are free. S3 carries the Amazon Linux 2023 package repositories, so `dnf install`
# works on the host even in "endpoints" mode.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]

  tags = { Name = "${local.name}-s3" }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(local.interface_endpoint_services)

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]

  tags = { Name = "${local.name}-${each.key}" }
}
