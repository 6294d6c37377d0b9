import { readBrokerState } from './broker-state.js';
import { ensureKafkaJars } from './jars.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { brokerHomeFromEnv, brokerOptionsFromEnv } from './options-from-env.js';
import { brokerPaths, LOCAL_PATHS } from './paths.js';
import { brokerLogTail } from './readiness.js';
import { stopRunningCommands } from './run-command.js';
import { startLocalBroker } from './start-broker.js';
import { brokerStatus, stopRecordedBroker } from './status.js';
import { ensureTopics } from './topics.js';

const home = brokerHomeFromEnv();
const paths = home === undefined ? LOCAL_PATHS : brokerPaths(home);

const USAGE = `usage: npm run broker -- <command>
  start    start the local Kafka ${KAFKA_VERSION} broker in the foreground and create the topics (Ctrl-C stops it)
  stop     stop the broker recorded in ${paths.state}
  status   show whether a local broker is running and answering
  topics   create or verify orders.v1, orders.retry and orders.dlq
  jars     fetch the Kafka jars from Maven Central into the cache, start nothing
env: KAFKA_BROKERS (use that cluster, start nothing), KAFKA_PORT (default 9092),
     KAFKA_SASL_SSL_PORT (default 9094; 'off' disables), TOPIC_PARTITIONS (default 3),
     KAFKA_LOCAL_HOME (the broker's directory, default .local/kafka)`;

const say = (message: string): void => {
  process.stderr.write(`[broker] ${message}\n`);
};

/** Ctrl-C before the broker answers: stop the one being started (and any tool run), then exit. */
const stopWhileStarting = (controller: AbortController) => (signal: NodeJS.Signals) => {
  say(`${signal}: stopping the broker being started...`);
  controller.abort();
  stopRunningCommands();
};

const start = async (): Promise<void> => {
  const startedAt = Date.now();
  const starting = new AbortController();
  const onSignal = stopWhileStarting(starting);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const broker = await startLocalBroker({ ...brokerOptionsFromEnv(), signal: starting.signal }).catch(
    (error: unknown) => {
      if (!starting.signal.aborted) throw error;
      say('stopped');
      process.exit(0);
    },
  );
  const topics = await ensureTopics(broker.bootstrapServers);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (starting.signal.aborted) {
    await broker.stop();
    say('stopped');
    process.exit(0);
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say(`Kafka ${KAFKA_VERSION} ${broker.origin} at ${broker.bootstrapServers} in ${seconds}s`);
  if (broker.saslSsl) {
    say(`SASL_SSL (SCRAM-SHA-512) at ${broker.saslSsl.bootstrapServers}, CA ${LOCAL_PATHS.tls}/ca.pem`);
    say(`SASL_SSL users (ACLs as on AWS): ${Object.keys(broker.saslSsl.users).join(', ')}`);
  }
  say(`topics: ${topics.map((t) => `${t.topic}(${t.partitions}${t.created ? ', created' : ''})`).join(' ')}`);
  if (broker.exited === undefined) {
    say('not started by this command, so nothing to keep in the foreground');
    return;
  }
  say(`log: ${paths.brokerLog}; press Ctrl-C to stop`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    say(`${signal}: stopping the broker...`);
    await broker.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const code = await broker.exited;
  if (!stopping && readBrokerState(paths.state) === undefined) {
    // `npm run broker stop` from another terminal cleared the pid file and stopped it: a normal ending.
    say('stopped by `broker stop`');
    process.exit(0);
  }
  if (!stopping) {
    say(`the broker exited on its own (code ${code})\n${brokerLogTail(20, [paths.brokerLog, paths.jvmLog])}`);
    process.exit(1);
  }
};

const status = async (): Promise<void> => {
  const { state, processAlive, answering } = await brokerStatus(paths.state);
  if (state === undefined || !processAlive) {
    say('no local broker is running');
    process.exitCode = 1;
    return;
  }
  say(`pid ${state.pid}, started ${state.startedAt}, ${answering ? 'answering' : 'NOT answering'}`);
  say(
    `bootstrap ${state.bootstrapServers}${state.saslSsl ? `, SASL_SSL ${state.saslSsl.bootstrapServers}` : ''}`,
  );
  process.exitCode = answering ? 0 : 1;
};

const commands: Record<string, () => Promise<void>> = {
  start,
  stop: async () => {
    const pid = await stopRecordedBroker(paths.state);
    say(pid === undefined ? 'no local broker was running' : `stopped broker pid ${pid}`);
  },
  status,
  jars: async () => {
    say(`classpath ready: ${await ensureKafkaJars()}`);
  },
  topics: async () => {
    const brokers =
      process.env.KAFKA_BROKERS?.trim() || (await brokerStatus(paths.state)).state?.bootstrapServers;
    if (!brokers) {
      throw new Error('no local broker is running and KAFKA_BROKERS is not set; run `npm run broker start`');
    }
    for (const topic of await ensureTopics(brokers)) {
      say(`${topic.topic}: ${topic.partitions} partitions${topic.created ? ' (created)' : ''}`);
    }
  },
};

const command = commands[process.argv[2] ?? ''];
if (command === undefined) {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
} else {
  command().catch((err: unknown) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
