# Operations of the EC2 host: daily snapshots of the data volume, and alarms for a host or broker that
# is down, a filling disk and memory pressure. Consumer lag is alarmed in serverless.yml, next to the
# functions whose event source mappings publish it.

resource "aws_sns_topic" "alarms" {
  name = "${local.name}-kafka-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# --- Snapshots (Data Lifecycle Manager), by the tag on aws_ebs_volume.kafka_data.

resource "aws_iam_role" "dlm" {
  count = local.self_managed && var.data_volume_snapshots ? 1 : 0

  name = "${local.name}-dlm"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "dlm.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "dlm" {
  count = local.self_managed && var.data_volume_snapshots ? 1 : 0

  role       = aws_iam_role.dlm[0].name
  policy_arn = "${local.arn_prefix}:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

resource "aws_dlm_lifecycle_policy" "kafka_data" {
  count = local.self_managed && var.data_volume_snapshots ? 1 : 0

  description        = "${local.name} daily snapshots of the Kafka data volume"
  execution_role_arn = aws_iam_role.dlm[0].arn
  state              = "ENABLED"

  policy_details {
    resource_types = ["VOLUME"]
    target_tags    = { Snapshot = "${local.name}-kafka-data" }

    schedule {
      name      = "daily"
      copy_tags = true

      create_rule {
        interval      = 24
        interval_unit = "HOURS"
        times         = ["03:00"]
      }

      retain_rule {
        count = var.snapshot_retain_count
      }
    }
  }
}

# --- Alarms.

locals {
  broker_alarms = local.self_managed ? {
    # The hardware or hypervisor failed: EC2 auto-recovery moves the instance (same ID, ENI, volume).
    host_down = {
      namespace  = "AWS/EC2"
      metric     = "StatusCheckFailed_System"
      dimensions = { InstanceId = aws_instance.broker[0].id }
      statistic  = "Maximum"
      threshold  = 1
      comparison = "GreaterThanOrEqualToThreshold"
      periods    = 2
      missing    = "breaching"
      actions    = ["${local.arn_prefix}:automate:${data.aws_region.current.name}:ec2:recover"]
      about      = "The broker host failed its system status check; EC2 recovers it onto new hardware."
    }
    # The OS is unresponsive (out of memory, kernel): a reboot brings Kafka back (restart: always).
    host_unresponsive = {
      namespace  = "AWS/EC2"
      metric     = "StatusCheckFailed_Instance"
      dimensions = { InstanceId = aws_instance.broker[0].id }
      statistic  = "Maximum"
      threshold  = 1
      comparison = "GreaterThanOrEqualToThreshold"
      periods    = 3
      missing    = "breaching"
      actions    = ["${local.arn_prefix}:automate:${data.aws_region.current.name}:ec2:reboot"]
      about      = "The broker host failed its instance status check three minutes running; EC2 reboots it."
    }
    # The host is up but the Kafka JVM is not (crash loop, bad config after a replacement).
    broker_down = {
      namespace  = local.agent_namespace
      metric     = "procstat_lookup_pid_count"
      dimensions = { InstanceId = aws_instance.broker[0].id } # the agent's aggregation by InstanceId
      statistic  = "Minimum"
      threshold  = 1
      comparison = "LessThanThreshold"
      periods    = 3
      missing    = "breaching"
      actions    = []
      about      = "No Kafka broker process has run on the host for three minutes."
    }
    disk_full = {
      namespace  = local.agent_namespace
      metric     = "disk_used_percent"
      dimensions = { InstanceId = aws_instance.broker[0].id, path = local.data_mount }
      statistic  = "Maximum"
      threshold  = 80
      comparison = "GreaterThanThreshold"
      periods    = 2
      missing    = "breaching"
      actions    = []
      about      = "The Kafka data volume is over 80% full: grow data_volume_size_gib (retention.bytes follows it)."
    }
    memory_pressure = {
      namespace  = local.agent_namespace
      metric     = "mem_used_percent"
      dimensions = { InstanceId = aws_instance.broker[0].id }
      statistic  = "Average"
      threshold  = 90
      comparison = "GreaterThanThreshold"
      periods    = 5
      missing    = "missing"
      actions    = []
      about      = "The broker host has used over 90% of its memory for five minutes."
    }
    } : {
    # MSK: the broker data disks (one alarm per broker, IDs 1-3).
    for id in [1, 2, 3] : "msk_broker_${id}_disk_full" => {
      namespace  = "AWS/Kafka"
      metric     = "KafkaDataLogsDiskUsed"
      dimensions = { "Cluster Name" = aws_msk_cluster.this[0].cluster_name, "Broker ID" = tostring(id) }
      statistic  = "Maximum"
      threshold  = 80
      comparison = "GreaterThanThreshold"
      periods    = 2
      missing    = "missing"
      actions    = []
      about      = "MSK broker ${id}'s data disk is over 80% full: grow msk_volume_size_gib."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "kafka" {
  for_each = local.broker_alarms

  alarm_name          = "${local.name}-${replace(each.key, "_", "-")}"
  alarm_description   = each.value.about
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 60
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = concat(each.value.actions, [aws_sns_topic.alarms.arn])
  ok_actions          = [aws_sns_topic.alarms.arn]
}
