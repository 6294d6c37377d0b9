export type { BrokerState, SaslSslEndpoint } from './broker-state.js';
export { ensureKafkaJars } from './jars.js';
export { runKafkaTool } from './kafka-tool.js';
export { KAFKA_VERSION } from './kafka-version.js';
export { brokerOptionsFromEnv } from './options-from-env.js';
export { LOCAL_PATHS } from './paths.js';
export { BrokerOrigin, type LocalBroker, type LocalBrokerOptions, startLocalBroker } from './start-broker.js';
export { type BrokerStatus, brokerStatus, stopRecordedBroker } from './status.js';
export { type EnsureTopicsOptions, ensureTopics, ORDER_TOPICS, type TopicReport } from './topics.js';
