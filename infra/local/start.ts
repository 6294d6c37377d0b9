import { getConfig } from '../../shared/adapters/config.js';
import { resolveKafkaConfig } from '../../shared/adapters/kafka-connection.js';
import { closeProducer } from '../../shared/adapters/producer.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import {
  brokerOptionsFromEnv,
  ensureTopics,
  KAFKA_VERSION,
  LOCAL_PATHS,
  startLocalBroker,
} from './broker/index.js';
import { applyLocalEnvironment } from './local-env.js';
import type { RunnerLog } from './runner/event-source-runner.js';
import { startAllRunners } from './runner/start-runners.js';
import { startLocalUi } from './ui-server.js';

const say = (message: string): void => {
  process.stderr.write(`[start] ${message}\n`);
};

const runnerLog: RunnerLog = {
  info: (message, fields) => say(`${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => say(`WARN ${message} ${JSON.stringify(fields ?? {})}`),
};

/** `npm start`: the broker, its topics, both consumers behind local event sources, and the UI. */
const main = async (): Promise<void> => {
  say(`starting Kafka ${KAFKA_VERSION} (the first run downloads it from Maven Central)...`);
  const broker = await startLocalBroker(brokerOptionsFromEnv());
  const topics = await ensureTopics(broker.bootstrapServers);
  const { uiAccessToken } = applyLocalEnvironment(broker.bootstrapServers);
  // The runners connect exactly as the handlers' producers do (SASL/TLS included, for an external cluster).
  const runners = await startAllRunners(await resolveKafkaConfig(getConfig()), runnerLog, (error) => {
    say(`a local event source stopped for good: ${error.message}`);
    process.exit(1);
  });
  const ui = await startLocalUi({ accessToken: uiAccessToken, port: Number(process.env.UI_PORT ?? 3000) });

  const rows = [
    ['broker', `Kafka ${KAFKA_VERSION} (${broker.origin}) at ${broker.bootstrapServers}`],
    ['topics', topics.map((topic) => `${topic.topic} (${topic.partitions} partitions)`).join(', ')],
    ...runners.map((runner) => [
      runner.source.functionName,
      `${runner.source.handlerFile} <- ${runner.source.topic} (group ${runner.source.consumerGroupId}, batch ${runner.source.batchSize})`,
    ]),
    ['ui', `${ui.url}  (access token: ${uiAccessToken})`],
    ['broker log', LOCAL_PATHS.brokerLog],
    ['demo orders', 'npm run produce   (in another terminal)'],
  ];
  const width = Math.max(...rows.map(([name]) => name?.length ?? 0));
  say('running:');
  for (const [name, value] of rows) process.stderr.write(`  ${name?.padEnd(width)}  ${value}\n`);
  say('handler logs follow as JSON lines on stdout; press Ctrl-C to stop everything');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping...`);
    // A retry handler may be waiting for a due time; do not let it hold the shutdown forever.
    const force = setTimeout(() => {
      say(
        'forced exit: a handler did not finish within 15 s (its batch is not committed and will be redelivered)',
      );
      process.exit(1);
    }, 15_000);
    await ui.stop();
    await closeTopicReaders();
    await Promise.allSettled(runners.map((runner) => runner.stop()));
    await closeProducer();
    await broker.stop();
    clearTimeout(force);
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  if (broker.exited) {
    const code = await broker.exited;
    if (!stopping) {
      say(`the broker exited on its own (code ${code}); see ${LOCAL_PATHS.brokerLog}`);
      process.exit(1);
    }
  }
};

main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
