#!/bin/bash
# /opt/kafka/renew-cert.sh: issues the broker's TLS server certificate (825 days, SAN = private IP and
# DNS name) from the host's CA on the data volume, rebuilds Kafka's PEM keystore and restarts Kafka if
# it runs. Without --force it does nothing while the certificate is valid for 60 more days. The
# first boot runs it with --force; kafka-cert-renew.timer runs it weekly. The CA is not renewed.
set -euo pipefail
TLS=/var/lib/kafka-data/tls
CONF=/etc/kafka-broker
if [[ ${1:-} != --force && -s $TLS/server.crt ]] && openssl x509 -checkend 5184000 -noout -in "$TLS/server.crt"; then
  echo "renew-cert: $TLS/server.crt is valid for more than 60 days, nothing to do"
  exit 0
fi
TOKEN=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
imds() { curl -fsS -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }
IP=$(imds local-ipv4)
DNS=$(imds local-hostname)
umask 077
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TLS/server.key"
openssl req -new -key "$TLS/server.key" -subj "/CN=$DNS" -out "$TLS/server.csr"
printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage=serverAuth' "subjectAltName=IP:$IP,DNS:$DNS" > "$TLS/server.ext"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial \
  -days 825 -sha256 -extfile "$TLS/server.ext" -out "$TLS/server.crt"
openssl verify -CAfile "$TLS/ca.pem" "$TLS/server.crt"
# Kafka's PEM keystore: unencrypted PKCS#8 key followed by the certificate chain (read by uid 1000).
mkdir -p "$CONF/tls"
cat "$TLS/server.key" "$TLS/server.crt" "$TLS/ca.pem" > "$CONF/tls/server-keystore.new"
chown 1000:1000 "$CONF/tls/server-keystore.new"
chmod 0400 "$CONF/tls/server-keystore.new"
mv -f "$CONF/tls/server-keystore.new" "$CONF/tls/server-keystore.pem"
if [[ -n $(docker compose -f "$CONF/compose.yaml" ps -q kafka 2>/dev/null) ]]; then
  docker compose -f "$CONF/compose.yaml" restart kafka
fi
echo "renew-cert: issued $TLS/server.crt for $IP ($DNS), valid until $(openssl x509 -enddate -noout -in "$TLS/server.crt")"
