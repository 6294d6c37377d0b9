import { getConfig } from '../../shared/adapters/config.js';
import { resolveKafkaConfig } from '../../shared/adapters/kafka-connection.js';
import { closeProducer } from '../../shared/adapters/producer.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import {
  brokerHomeFromEnv,
  brokerOptionsFromEnv,
  brokerPaths,
  ensureTopics,
  KAFKA_VERSION,
  LOCAL_PATHS,
  startLocalBroker,
  stopRunningCommands,
} from './broker/index.js';
import { applyLocalEnvironment } from './local-env.js';
import type { RunnerLog } from './runner/event-source-runner.js';
import { startAllRunners } from './runner/start-runners.js';
import { createShutdown } from './shutdown.js';
import { startLocalUi } from './ui-server.js';

const say = (message: string): void => {
  process.stderr.write(`[start] ${message}\n`);
};

const runnerLog: RunnerLog = {
  info: (message, fields) => say(`${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => say(`WARN ${message} ${JSON.stringify(fields ?? {})}`),
};

// A retry handler may be waiting for a due time; it must not hold a stop forever.
const FORCED_EXIT_MS = 15_000;
const brokerHome = brokerHomeFromEnv();
const brokerLog = brokerHome === undefined ? LOCAL_PATHS.brokerLog : brokerPaths(brokerHome).brokerLog;

const shutdown = createShutdown();
// A signal sent to Node alone (not to the terminal's process group) must still end Maven, keytool or the
// storage formatter if one is running.
shutdown.signal.addEventListener('abort', stopRunningCommands, { once: true });
let startup: Promise<void> | undefined;
let startedBrokerPid: number | undefined;

/** Stops everything started so far, in reverse order, in whatever phase the start is, then exits. */
const stopAndExit = async (reason: string, code: number): Promise<void> => {
  if (shutdown.stopping) return;
  say(`${reason}: stopping...`);
  const force = setTimeout(() => {
    say('forced exit: a step did not finish within 15 s (an uncommitted batch will be redelivered)');
    // The broker is detached; SIGTERM still makes it shut itself down cleanly after this process is gone.
    try {
      if (startedBrokerPid !== undefined) process.kill(startedBrokerPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    process.exit(1);
  }, FORCED_EXIT_MS);
  const failures = await shutdown.stop(startup);
  clearTimeout(force);
  for (const failure of failures) say(`WARN could not stop ${failure}`);
  say('stopped');
  process.exit(code);
};

// Registered before anything starts, so a Ctrl-C during the broker download or boot is handled too.
process.on('SIGINT', () => void stopAndExit('SIGINT', 0));
process.on('SIGTERM', () => void stopAndExit('SIGTERM', 0));
// `npm start | tee log` and a Ctrl-C: the terminal's SIGINT ends the pipe's reader too, and a write to the
// closed pipe (EPIPE) must not crash this process before it has stopped the broker.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

/** `npm start`: the broker, its topics, both consumers behind local event sources, and the UI. */
const main = async (signal: AbortSignal): Promise<void> => {
  say(`starting Kafka ${KAFKA_VERSION} (the first run downloads it from Maven Central)...`);
  const broker = await startLocalBroker({ ...brokerOptionsFromEnv(), signal });
  shutdown.onStop('the broker', () => broker.stop());
  if (broker.origin === 'started') startedBrokerPid = broker.pid;
  signal.throwIfAborted();
  const topics = await ensureTopics(broker.bootstrapServers);
  signal.throwIfAborted();
  const { uiAccessToken } = applyLocalEnvironment(broker.bootstrapServers);
  shutdown.onStop('the producer', closeProducer);
  // The runners connect exactly as the handlers' producers do (SASL/TLS included, for an external cluster).
  const runners = await startAllRunners(await resolveKafkaConfig(getConfig()), runnerLog, (error) => {
    void stopAndExit(`a local event source stopped for good: ${error.message}`, 1);
  });
  shutdown.onStop('the event sources', () => Promise.allSettled(runners.map((runner) => runner.stop())));
  signal.throwIfAborted();
  shutdown.onStop('the topic readers', closeTopicReaders);
  const ui = await startLocalUi({ accessToken: uiAccessToken, port: Number(process.env.UI_PORT ?? 3000) });
  shutdown.onStop('the UI', () => ui.stop());
  signal.throwIfAborted();

  const rows = [
    ['broker', `Kafka ${KAFKA_VERSION} (${broker.origin}) at ${broker.bootstrapServers}`],
    ['topics', topics.map((topic) => `${topic.topic} (${topic.partitions} partitions)`).join(', ')],
    ...runners.map((runner) => [
      runner.source.functionName,
      `${runner.source.handlerFile} <- ${runner.source.topic} (group ${runner.source.consumerGroupId}, batch ${runner.source.batchSize})`,
    ]),
    ['ui', `${ui.url}  (access token: ${uiAccessToken})`],
    ['broker log', brokerLog],
    ['demo orders', 'npm run produce   (in another terminal)'],
  ];
  const width = Math.max(...rows.map(([name]) => name?.length ?? 0));
  say('running:');
  for (const [name, value] of rows) process.stderr.write(`  ${name?.padEnd(width)}  ${value}\n`);
  say('handler logs follow as JSON lines on stdout; press Ctrl-C to stop everything');

  void broker.exited?.then((code) => {
    void stopAndExit(`the broker exited on its own (code ${code}); see ${brokerLog}`, 1);
  });
};

startup = main(shutdown.signal);
startup.catch((error: unknown) => {
  // A stop requested during the start makes the current step fail; that is the stop working, not an error.
  if (shutdown.stopping) return;
  say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  void stopAndExit('start failed', 1);
});
