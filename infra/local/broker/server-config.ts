import { KafkaUser, principalOf } from './kafka-acls.js';
import type { LocalTls } from './tls.js';

export interface ServerConfigInput {
  readonly port: number;
  readonly controllerPort: number;
  readonly saslSslPort?: number;
  readonly tls?: LocalTls;
  readonly dataDir: string;
}

// Room for a ~1 MB order plus failure headers (bounded stack trace, origin, attempts) on retry and DLQ records.
const MAX_MESSAGE_BYTES = 2_097_152;

/**
 * Renders `server.properties` for one combined KRaft broker+controller node. Kafka's own defaults assume a
 * three-node cluster, so every internal topic is pinned to one replica here.
 * See https://kafka.apache.org/documentation/#brokerconfigs
 */
export const renderServerProperties = (input: ServerConfigInput): string => {
  const sasl = input.saslSslPort !== undefined && input.tls !== undefined;
  const listeners = [
    `PLAINTEXT://127.0.0.1:${input.port}`,
    `CONTROLLER://127.0.0.1:${input.controllerPort}`,
    ...(sasl ? [`SASL_SSL://127.0.0.1:${input.saslSslPort}`] : []),
  ];
  const advertised = listeners.filter((listener) => !listener.startsWith('CONTROLLER'));
  const lines: string[] = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${input.controllerPort}`,
    'controller.listener.names=CONTROLLER',
    `listeners=${listeners.join(',')}`,
    `advertised.listeners=${advertised.join(',')}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${input.dataDir}`,
    // A topic name typo must fail loudly (README "Topics").
    'auto.create.topics.enable=false',
    // Tests join fresh groups constantly; the default 3 s delay would slow every one of them.
    'group.initial.rebalance.delay.ms=0',
    'offsets.topic.replication.factor=1',
    // Fewer offsets partitions than the default 50 keep the first group join fast on a 2-core runner.
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'min.insync.replicas=1',
    `message.max.bytes=${MAX_MESSAGE_BYTES}`,
    `replica.fetch.max.bytes=${MAX_MESSAGE_BYTES}`,
    'num.partitions=3',
    // The same authorizer, super user and deny-by-default as the EC2 host, so the SASL_SSL listener enforces
    // the ACLs of kafka-acls.ts. One difference, local only: the PLAINTEXT listeners (client and controller,
    // both on 127.0.0.1) authenticate nobody, so their principal User:ANONYMOUS is a super user here. The
    // tests and `npm start` create per-run topics and groups through it, and the controller listener's
    // principal must be a super user for the broker to start (KIP-801 early start listeners). The EC2 host
    // has no PLAINTEXT client listener and does not name ANONYMOUS.
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=${principalOf(KafkaUser.admin)};User:ANONYMOUS`,
    'allow.everyone.if.no.acl.found=false',
  ];
  if (sasl && input.tls) {
    lines.push(
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      // SCRAM credentials live in the KRaft metadata log; they are added when the storage is formatted.
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.location=${input.tls.keystorePath}`,
      `ssl.keystore.password=${input.tls.keystorePassword}`,
      `ssl.key.password=${input.tls.keystorePassword}`,
      'ssl.client.auth=none',
    );
  }
  return `${lines.join('\n')}\n`;
};

/** Log4j 2 config that sends the broker's log to a size-capped file, keeping the terminal quiet. */
export const renderLog4j2Properties = (logFile: string): string =>
  [
    'status = warn',
    'appender.file.type = RollingFile',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    `appender.file.filePattern = ${logFile}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    // The state change and request loggers are very chatty at INFO and add nothing to local debugging.
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    '',
  ].join('\n');
