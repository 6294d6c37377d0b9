variable "project" {
  description = "Project name: prefix of resource names, secret names and SSM parameters (/<project>/<stage>/...)."
  type        = string
  default     = "orders-dlq"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.project))
    error_message = "project must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "stage" {
  description = "Deployment stage, the same value serverless.yml is deployed with (--stage)."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.stage))
    error_message = "stage must be 1-16 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "aws_region" {
  description = "AWS region for every resource. serverless.yml must deploy to the same region."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like an AWS region name, e.g. eu-west-1."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the new VPC. Subnets are /24s carved from it."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be a valid IPv4 CIDR of size /20 or larger."
  }
}

variable "kafka_mode" {
  description = <<-EOT
    Where Kafka runs:
    "self-managed" = one EC2 host (the small default): Apache Kafka in KRaft mode behind a stable ENI address.
    "msk" = an Amazon MSK provisioned cluster: three brokers across three AZs, replication factor 3,
    min.insync.replicas 2, SASL/SCRAM (AmazonMSK_ secrets under a customer managed KMS key) over TLS.
    Deploy serverless.yml with the same mode (it reads it from SSM).
  EOT
  type        = string
  default     = "self-managed"

  validation {
    condition     = contains(["self-managed", "msk"], var.kafka_mode)
    error_message = "kafka_mode must be \"self-managed\" or \"msk\"."
  }
}

variable "egress_mode" {
  description = <<-EOT
    How the Lambda event source mapping (and the broker host) reach AWS APIs:
    "nat" = one NAT gateway (public subnet + IGW used by the NAT only); the host can pull Docker images.
    "endpoints" = interface endpoints for Lambda, STS, Secrets Manager (and Kafka in msk mode), no internet
    at all; the host cannot pull images, so bootstrap it in "nat" mode first (see README). A plan that would
    replace the host in this mode is refused.
  EOT
  type        = string
  default     = "nat"

  validation {
    condition     = contains(["nat", "endpoints"], var.egress_mode)
    error_message = "egress_mode must be \"nat\" or \"endpoints\"."
  }
}

variable "session_manager_endpoints" {
  description = "Also create the ssm, ssmmessages and ec2messages endpoints in \"nat\" mode (about 48 USD a month). They always exist in \"endpoints\" mode."
  type        = bool
  default     = false
}

variable "instance_architecture" {
  description = "CPU architecture of the broker host: picks the Amazon Linux 2023 AMI. Must match instance_type."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.instance_architecture)
    error_message = "instance_architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the broker host (Kafka heap + Redpanda Console need about 2 GiB)."
  type        = string
  default     = "t4g.medium"

  validation {
    # Graviton families carry a "g" right after the generation digit (t4g, m7g, c7gn, r8g).
    condition = (
      can(regex("^[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type)) &&
      (var.instance_architecture == "arm64") == can(regex("^[a-z]+[0-9]+g", var.instance_type))
    )
    error_message = "instance_type must match instance_architecture: a Graviton type (t4g, m7g, ...) for arm64, an Intel/AMD type for x86_64."
  }
}

variable "data_volume_size_gib" {
  description = "Size of the encrypted gp3 EBS volume holding the Kafka log directory."
  type        = number
  default     = 20

  validation {
    condition     = var.data_volume_size_gib >= 10 && var.data_volume_size_gib <= 1000
    error_message = "data_volume_size_gib must be between 10 and 1000."
  }
}

variable "kafka_port" {
  description = "Port of the SASL_SSL listener that Lambda connects to (9096 is the port MSK uses for SASL/SCRAM)."
  type        = number
  default     = 9096

  validation {
    condition     = var.kafka_port >= 1024 && var.kafka_port <= 65535 && !contains([8080, 9092, 9093], var.kafka_port)
    error_message = "kafka_port must be 1024-65535 and not 8080 (console), 9092 (loopback admin listener) or 9093 (controller)."
  }
}

variable "console_port" {
  description = "Port Redpanda Console listens on, bound to 127.0.0.1 and reached only through Session Manager port forwarding."
  type        = number
  default     = 8080

  validation {
    condition     = var.console_port >= 1024 && var.console_port <= 65535 && !contains([9092, 9093], var.console_port)
    error_message = "console_port must be 1024-65535 and not a Kafka port."
  }
}

variable "topic_partitions" {
  description = "Partition count of orders.v1, orders.retry and orders.dlq."
  type        = number
  default     = 3

  validation {
    condition     = var.topic_partitions >= 1 && var.topic_partitions <= 64 && floor(var.topic_partitions) == var.topic_partitions
    error_message = "topic_partitions must be a whole number between 1 and 64."
  }
}

variable "dlq_retention_days" {
  description = "Retention of orders.dlq, long enough for an operator to inspect and redrive."
  type        = number
  default     = 14

  validation {
    condition     = var.dlq_retention_days >= 1 && var.dlq_retention_days <= 365
    error_message = "dlq_retention_days must be between 1 and 365."
  }
}

variable "kafka_heap_mb" {
  description = "JVM heap of the broker, in MiB."
  type        = number
  default     = 1024

  validation {
    condition     = var.kafka_heap_mb >= 256 && var.kafka_heap_mb <= 32768
    error_message = "kafka_heap_mb must be between 256 and 32768."
  }
}

variable "kafka_image" {
  description = "Official Apache Kafka image, pinned. Must be the version the local broker runs."
  type        = string
  default     = "apache/kafka:4.1.1"

  validation {
    condition     = can(regex("^[^:]+:[0-9A-Za-z._-]+$", var.kafka_image)) && !endswith(var.kafka_image, ":latest")
    error_message = "kafka_image must carry a pinned tag (not :latest)."
  }
}

variable "console_image" {
  description = "Redpanda Console image, pinned."
  type        = string
  default     = "docker.redpanda.com/redpandadata/console:v2.8.5"

  validation {
    condition     = can(regex("^[^@]+:[0-9A-Za-z._-]+$", var.console_image)) && !endswith(var.console_image, ":latest")
    error_message = "console_image must carry a pinned tag (not :latest)."
  }
}

variable "compose_version" {
  description = "Docker Compose plugin release installed on the host (Amazon Linux 2023 does not package it)."
  type        = string
  default     = "v2.32.4"

  validation {
    condition     = can(regex("^v2\\.[0-9]+\\.[0-9]+$", var.compose_version))
    error_message = "compose_version must look like v2.32.4."
  }
}

variable "secret_recovery_window_days" {
  description = "Secrets Manager recovery window on destroy. 0 deletes at once, so a destroyed stage can be re-created under the same names."
  type        = number
  default     = 0

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "tags" {
  description = "Extra tags for every resource (Project, Stage and ManagedBy are always set)."
  type        = map(string)
  default     = {}
}

variable "console_enabled" {
  description = "Run Redpanda Console on the host (127.0.0.1 only, through Session Manager port forwarding). Off by default: the free Console has no login."
  type        = bool
  default     = false
}

variable "alarm_email" {
  description = "Optional address subscribed to the broker alarms (host down, disk, memory). Empty: the SNS topic has no subscriber."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address."
  }
}

variable "data_volume_snapshots" {
  description = "Daily EBS snapshots of the Kafka data volume (Data Lifecycle Manager), kept snapshot_retain_count days."
  type        = bool
  default     = true
}

variable "snapshot_retain_count" {
  description = "How many daily snapshots of the data volume to keep."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retain_count >= 1 && var.snapshot_retain_count <= 1000
    error_message = "snapshot_retain_count must be between 1 and 1000."
  }
}

variable "session_log_retention_days" {
  description = "Retention of the Session Manager session logs (CloudWatch Logs, KMS-encrypted)."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.session_log_retention_days)
    error_message = "session_log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "msk_kafka_version" {
  description = "Apache Kafka version of the MSK cluster (kafka_mode = \"msk\")."
  type        = string
  default     = "3.9.x"
}

variable "msk_instance_type" {
  description = "MSK broker instance type (kafka_mode = \"msk\")."
  type        = string
  default     = "kafka.m7g.large"

  validation {
    condition     = startswith(var.msk_instance_type, "kafka.")
    error_message = "msk_instance_type must be an MSK broker type such as kafka.m7g.large."
  }
}

variable "msk_volume_size_gib" {
  description = "EBS storage per MSK broker, in GiB (kafka_mode = \"msk\")."
  type        = number
  default     = 100

  validation {
    condition     = var.msk_volume_size_gib >= 1 && var.msk_volume_size_gib <= 16384
    error_message = "msk_volume_size_gib must be between 1 and 16384."
  }
}
