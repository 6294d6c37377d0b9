#!/bin/bash
# Entry point of the kafka container (apache/kafka image, user 1000). Formats the KRaft log directory
# on first start only, with the admin SCRAM user (orders-admin) written into the bootstrap metadata
# (KIP-900), then runs the broker. The log directory is on the separate data volume: on a replacement host it is already
# formatted (meta.properties exists) and is used as it is, with its own cluster id and SCRAM users.
set -euo pipefail

if [[ ! -s /var/lib/kafka/data/meta.properties ]]; then
  # shellcheck source=/dev/null
  source /etc/kafka-broker/secrets/scram.env
  : "${SCRAM_USERNAME:?missing in scram.env}" "${SCRAM_PASSWORD:?missing in scram.env}"
  /opt/kafka/bin/kafka-storage.sh format \
    --cluster-id "$(cat /etc/kafka-broker/cluster-id)" \
    --config /etc/kafka-broker/server.properties \
    --add-scram "SCRAM-SHA-512=[name=$SCRAM_USERNAME,password=$SCRAM_PASSWORD]"
fi

exec /opt/kafka/bin/kafka-server-start.sh /etc/kafka-broker/server.properties
