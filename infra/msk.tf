# kafka_mode = "msk": an Amazon MSK provisioned cluster instead of the EC2 host. Three brokers, one per
# AZ, replication factor 3 and min.insync.replicas 2 (a write survives one broker down), SASL/SCRAM
# over TLS only, storage encrypted with the same customer managed key as the SCRAM secrets.
# Topics and ACLs are applied once with the admin user (output msk_kafka_setup_script): the AWS
# provider has no Kafka data-plane resources.

resource "aws_msk_configuration" "this" {
  count = local.msk ? 1 : 0

  name           = "${local.name}-kafka"
  kafka_versions = [var.msk_kafka_version]
  description    = "${local.name}: explicit topics, RF 3, min ISR 2, 2 MiB records"

  server_properties = <<-EOT
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    num.partitions=${var.topic_partitions}
    unclean.leader.election.enable=false
    message.max.bytes=2097152
    replica.fetch.max.bytes=2097152
  EOT
}

resource "aws_cloudwatch_log_group" "msk" {
  count = local.msk ? 1 : 0

  name              = "/${var.project}/${var.stage}/msk"
  retention_in_days = 30
}

resource "aws_msk_cluster" "this" {
  count = local.msk ? 1 : 0

  cluster_name           = "${local.name}-kafka"
  kafka_version          = var.msk_kafka_version
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = aws_subnet.private[*].id
    security_groups = [aws_security_group.broker.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.msk_volume_size_gib
      }
    }

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  client_authentication {
    unauthenticated = false
    sasl {
      scram = true
      iam   = false
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.kafka.arn
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this[0].arn
    revision = aws_msk_configuration.this[0].latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk[0].name
      }
    }
  }

  tags = { Name = "${local.name}-kafka" }
}

# MSK's SCRAM users are the associated AmazonMSK_ secrets (secrets.tf), the same four users.
resource "aws_msk_scram_secret_association" "this" {
  count = local.msk ? 1 : 0

  cluster_arn     = aws_msk_cluster.this[0].arn
  secret_arn_list = [for user in keys(local.kafka_users) : aws_secretsmanager_secret.kafka_user[user].arn]

  depends_on = [aws_secretsmanager_secret_version.kafka_user]
}
