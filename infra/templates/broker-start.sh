#!/bin/bash
# Entry point of the kafka container (apache/kafka image, user 1000). Formats the KRaft log directory
# on first start, with the SCRAM user written into the bootstrap metadata (KIP-900), then runs the
# broker. On later starts the log directory is already formatted and `--ignore-formatted` skips it.
set -euo pipefail

# shellcheck source=/dev/null
source /etc/kafka-broker/secrets/scram.env
: "${SCRAM_USERNAME:?missing in scram.env}" "${SCRAM_PASSWORD:?missing in scram.env}"

/opt/kafka/bin/kafka-storage.sh format \
  --ignore-formatted \
  --cluster-id "$(cat /etc/kafka-broker/cluster-id)" \
  --config /etc/kafka-broker/server.properties \
  --add-scram "SCRAM-SHA-512=[name=$SCRAM_USERNAME,password=$SCRAM_PASSWORD]"

exec /opt/kafka/bin/kafka-server-start.sh /etc/kafka-broker/server.properties
