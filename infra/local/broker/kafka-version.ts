/**
 * The one Kafka version this repo runs. It MUST match `<kafka.version>` in `pom.xml` and the
 * `apache/kafka:<tag>` image the EC2 host runs (infra/), so local tests exercise the broker AWS runs.
 */
export const KAFKA_VERSION = '4.1.1';
