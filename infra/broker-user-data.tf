locals {
  # The files embedded in the user data lose their comment lines (they are documented here, in the
  # repository): EC2 limits user data to 16 KiB.
  strip_comments = "/(?m)^[ \t]*#([^!\n].*)?\n/"
  data_device    = "/dev/sdf"
  data_mount     = "/var/lib/kafka-data"

  # retention.bytes is per partition and excludes the active segment, so the three delete-policy topics
  # get 60% of the volume between them and segments of a quarter of that: at most ~75% of the disk,
  # below the 80% alarm. The ledger is compacted and small.
  volume_bytes          = var.data_volume_size_gib * 1024 * 1024 * 1024
  retention_bytes       = floor(local.volume_bytes * 0.6 / (3 * var.topic_partitions))
  segment_bytes         = min(1073741824, floor(local.retention_bytes / 4))
  delete_topic_settings = "retention.bytes=${local.retention_bytes},segment.bytes=${local.segment_bytes}"

  kafka_topics = [
    { name = "orders.v1", config = "max.message.bytes=1048588,${local.delete_topic_settings}" },
    { name = "orders.retry", config = local.delete_topic_settings },
    { name = "orders.dlq", config = "retention.ms=${var.dlq_retention_days * 24 * 3600 * 1000},${local.delete_topic_settings}" },
    # The redrive ledger: one entry per redriven DLQ record, kept by key forever.
    { name = "orders.dlq.redrives", config = "cleanup.policy=compact" },
  ]
  topics = [for topic in local.kafka_topics : topic.name]

  # The ACLs are data shared with the local broker (infra/local/broker/kafka-acls.ts renders the file).
  # One kafka-acls.sh call per principal and resource, with all of its operations: each call is a JVM.
  kafka_acls = jsondecode(file("${path.module}/kafka-acls.json"))
  acl_groups = {
    for binding in local.kafka_acls.bindings :
    join(" ", concat([binding.principal], slice(binding.kafkaAclsArgs, 5, length(binding.kafkaAclsArgs)))) => binding...
  }
  acls = [
    for key, bindings in local.acl_groups : {
      principal  = bindings[0].principal
      operations = [for binding in bindings : binding.kafkaAclsArgs[4]]
      resource   = slice(bindings[0].kafkaAclsArgs, 5, length(bindings[0].kafkaAclsArgs))
    }
  ]

  kafka_setup_sh = templatefile("${path.module}/templates/kafka-setup.sh.tftpl", {
    topics             = local.kafka_topics
    topic_partitions   = var.topic_partitions
    replication_factor = local.msk ? 3 : 1
    admin_user         = local.kafka_users.admin
    users              = local.kafka_acls.users
    acls               = local.acls
  })

  # The CloudWatch agent: disk use of the data volume, memory, and whether the Kafka JVM runs.
  agent_namespace = "CWAgent"
  agent_config = jsonencode({
    agent = { metrics_collection_interval = 60 }
    metrics = {
      namespace              = local.agent_namespace
      append_dimensions      = { InstanceId = "$${aws:InstanceId}" }
      aggregation_dimensions = [["InstanceId"], ["InstanceId", "path"]]
      metrics_collected = {
        disk     = { resources = [local.data_mount], measurement = ["used_percent"], drop_device = true }
        mem      = { measurement = ["used_percent"] }
        procstat = [{ pattern = "kafka\\.Kafka", measurement = ["pid_count"] }]
      }
    }
  })

  server_properties = replace(templatefile("${path.module}/templates/server.properties.tftpl", {
    kafka_port          = var.kafka_port
    topic_partitions    = var.topic_partitions
    broker_ip           = local.broker_ip
    admin_user          = local.kafka_users.admin
    log_retention_bytes = local.retention_bytes
  }), local.strip_comments, "")

  compose_file = replace(templatefile("${path.module}/templates/compose.yaml.tftpl", {
    kafka_image   = var.kafka_image
    console_image = var.console_image
    console_port  = var.console_port
    kafka_heap_mb = var.kafka_heap_mb
    broker_ip     = local.broker_ip
    kafka_port    = var.kafka_port
  }), local.strip_comments, "")

  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    region            = data.aws_region.current.name
    user_secret_arns  = { for key, user in local.kafka_users : user => aws_secretsmanager_secret.kafka_user[key].arn }
    admin_user        = local.kafka_users.admin
    console_user      = local.kafka_users.ui
    console_enabled   = var.console_enabled
    ca_secret_arn     = aws_secretsmanager_secret.ca.arn
    ca_name           = "${local.name} Kafka CA"
    data_device       = local.data_device
    data_mount        = local.data_mount
    broker_ip         = local.broker_ip
    kafka_image       = var.kafka_image
    kafka_port        = var.kafka_port
    compose_version   = var.compose_version
    topics            = local.topics
    server_properties = local.server_properties
    compose_file      = local.compose_file
    agent_config      = local.agent_config
    broker_start_sh   = replace(file("${path.module}/templates/broker-start.sh"), local.strip_comments, "")
    renew_cert_sh     = replace(file("${path.module}/templates/renew-cert.sh"), local.strip_comments, "")
    kafka_setup_sh    = replace(local.kafka_setup_sh, local.strip_comments, "")
  })
}
