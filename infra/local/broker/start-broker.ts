import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureKafkaAcls } from './apply-acls.js';
import {
  clearBrokerState,
  isProcessAlive,
  readBrokerState,
  type SaslSslEndpoint,
  writeBrokerState,
} from './broker-state.js';
import { ensureKafkaJars } from './jars.js';
import { assertJavaVersion, jvmOptions } from './java.js';
import { KafkaUser } from './kafka-acls.js';
import { localScramUsers } from './local-users.js';
import { type BrokerPaths, brokerPaths, LOCAL_PATHS } from './paths.js';
import { probeBroker, waitForBroker } from './readiness.js';
import { ensureScramUsers } from './scram-users.js';
import { renderLog4j2Properties, renderServerProperties } from './server-config.js';
import { withStartLock } from './start-lock.js';
import { stopProcess } from './stop-process.js';
import { formatStorageIfNeeded } from './storage.js';
import { ensureLocalTls } from './tls.js';

export interface LocalBrokerOptions {
  /** PLAINTEXT listener on 127.0.0.1. Default 9092. */
  readonly port?: number;
  /** KRaft controller listener. Default `port + 1`. */
  readonly controllerPort?: number;
  /** Opt-in SASL_SSL (SCRAM-SHA-512 over TLS) listener, e.g. 9094. Off when undefined. */
  readonly saslSslPort?: number;
  /** JVM heap for the broker (`-Xms`/`-Xmx`). Default 768m. */
  readonly heap?: string;
  /** How long to wait for the broker to answer. Default 120 s (a cold JVM on a 2-core runner is slow). */
  readonly readyTimeoutMs?: number;
  /**
   * The broker's own directory (data, configs, logs, pid file), for a second broker beside the shared one.
   * Default `.local/kafka`. The jar cache and the TLS material stay shared.
   */
  readonly home?: string;
  /** Aborting it during the start stops the broker being started (a Ctrl-C before it answers). */
  readonly signal?: AbortSignal;
}

/** How the caller got its broker: it started one, it found one this tool started earlier, or it was told where. */
export const BrokerOrigin = { started: 'started', reused: 'reused', external: 'external' } as const;
export type BrokerOrigin = (typeof BrokerOrigin)[keyof typeof BrokerOrigin];

export interface LocalBroker {
  readonly bootstrapServers: string;
  readonly saslSsl?: SaslSslEndpoint;
  readonly origin: BrokerOrigin;
  readonly pid?: number;
  /** Settles when a broker this caller started exits for any reason; undefined otherwise. */
  readonly exited?: Promise<number | null>;
  /** Stops the broker only if this caller started it; a reused or external broker is left running. */
  stop(): Promise<void>;
}

const noop = async (): Promise<void> => undefined;

const writeConfigs = async (
  options: Required<Omit<LocalBrokerOptions, 'saslSslPort' | 'home' | 'signal'>> & LocalBrokerOptions,
  paths: BrokerPaths,
) => {
  await Promise.all([paths.config, paths.data, paths.logs].map((dir) => mkdir(dir, { recursive: true })));
  const tls = options.saslSslPort === undefined ? undefined : await ensureLocalTls();
  const configFile = join(paths.config, 'server.properties');
  const log4jConfig = join(paths.config, 'log4j2.properties');
  // Rewritten on every start so option changes (ports, SASL on/off) take effect without a reset.
  await writeFile(
    configFile,
    renderServerProperties({
      port: options.port,
      controllerPort: options.controllerPort,
      saslSslPort: options.saslSslPort,
      tls,
      dataDir: paths.data,
    }),
  );
  await writeFile(log4jConfig, renderLog4j2Properties(paths.brokerLog));
  return { configFile, log4jConfig, tls };
};

const spawnBroker = (
  input: { classpath: string; configFile: string; log4jConfig: string; heap: string },
  paths: BrokerPaths,
) => {
  const out = openSync(paths.jvmLog, 'a');
  return spawn(
    'java',
    [
      ...jvmOptions({ heap: input.heap, log4jConfig: input.log4jConfig }),
      `-Dkafka.logs.dir=${paths.logs}`,
      '-cp',
      input.classpath,
      'kafka.Kafka',
      input.configFile,
    ],
    // Its own process group: a terminal Ctrl-C reaches only Node, which then shuts the broker down in order.
    { detached: true, stdio: ['ignore', out, out] },
  );
};

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolvePromise(child.exitCode);
      return;
    }
    child.once('exit', (code) => resolvePromise(code));
  });

const reuseIfRunning = async (timeoutMs: number, paths: BrokerPaths): Promise<LocalBroker | undefined> => {
  const state = readBrokerState(paths.state);
  if (state === undefined) {
    return undefined;
  }
  if (!isProcessAlive(state.pid)) {
    await clearBrokerState(paths.state);
    return undefined;
  }
  if (state.saslSsl && state.saslSsl.users === undefined) {
    // Started by a version with one SCRAM user and no ACLs: reusing it would hand out users it lacks.
    throw new Error(
      `the running local broker (pid ${state.pid}) was started by an earlier version without per-client Kafka users; stop it with \`npm run broker -- stop\` and start again`,
    );
  }
  // It may still be booting for another caller (npm start and npm test launched together): wait for it.
  await waitForBroker(state.bootstrapServers, { timeoutMs, hasExited: () => !isProcessAlive(state.pid) });
  return {
    bootstrapServers: state.bootstrapServers,
    saslSsl: state.saslSsl,
    origin: BrokerOrigin.reused,
    pid: state.pid,
    stop: noop,
  };
};

/**
 * Gives the caller a running Kafka broker: the cluster named by `KAFKA_BROKERS` (unless `home` is given),
 * else one this tool already started (found through `broker.json` in its home), else a fresh single-node
 * KRaft broker from the Maven Central jars, started as a child JVM.
 */
export const startLocalBroker = async (opts: LocalBrokerOptions = {}): Promise<LocalBroker> => {
  // A caller that names its own home wants a broker of its own, whatever cluster the environment names.
  const external = opts.home === undefined ? process.env.KAFKA_BROKERS?.trim() : undefined;
  if (external) {
    return { bootstrapServers: external, origin: BrokerOrigin.external, stop: noop };
  }
  const paths = opts.home === undefined ? LOCAL_PATHS : brokerPaths(opts.home);
  return withStartLock(() => reuseOrStart(opts, paths), paths);
};

const reuseOrStart = async (opts: LocalBrokerOptions, paths: BrokerPaths): Promise<LocalBroker> => {
  const port = opts.port ?? 9092;
  const options = {
    ...opts,
    port,
    controllerPort: opts.controllerPort ?? port + 1,
    heap: opts.heap ?? '768m',
    readyTimeoutMs: opts.readyTimeoutMs ?? 120_000,
  };
  const reused = await reuseIfRunning(options.readyTimeoutMs, paths);
  if (reused) {
    return reused;
  }
  const bootstrapServers = `127.0.0.1:${port}`;
  if (await probeBroker(bootstrapServers, 1_000)) {
    // Something we did not start (say, the compose file) already serves this port; starting a second
    // broker would only fail on the bind, so use it the way KAFKA_BROKERS would.
    process.stderr.write(
      `[kafka] a broker not started by this tool answers on ${bootstrapServers}; using it\n`,
    );
    return { bootstrapServers, origin: BrokerOrigin.external, stop: noop };
  }

  await assertJavaVersion();
  const classpath = await ensureKafkaJars();
  opts.signal?.throwIfAborted();
  const { configFile, log4jConfig, tls } = await writeConfigs(options, paths);
  const formatted = await formatStorageIfNeeded({ classpath, configFile, dataDir: paths.data, log4jConfig });
  opts.signal?.throwIfAborted();

  const child = spawnBroker({ classpath, configFile, log4jConfig, heap: options.heap }, paths);
  const exited = exitOf(child);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error('could not spawn java for the Kafka broker');
  }
  const stop = async (): Promise<void> => {
    await stopProcess(pid, { exited });
    const state = readBrokerState(paths.state);
    if (state?.pid === pid) {
      await clearBrokerState(paths.state);
    }
  };
  // From the moment the JVM exists, a stop request stops it. That ends the wait below at its next probe,
  // which then fails as "exited".
  const stopOnAbort = (): void => void stop();
  opts.signal?.addEventListener('abort', stopOnAbort, { once: true });
  const users = localScramUsers();
  const saslSsl: SaslSslEndpoint | undefined =
    tls && options.saslSslPort !== undefined
      ? {
          bootstrapServers: `127.0.0.1:${options.saslSslPort}`,
          caPem: tls.caPem,
          ...users[KafkaUser.admin],
          users,
        }
      : undefined;
  try {
    await writeBrokerState(
      { pid, bootstrapServers, saslSsl, startedAt: new Date().toISOString() },
      paths.state,
    );
    await waitForBroker(bootstrapServers, {
      timeoutMs: options.readyTimeoutMs,
      hasExited: () => child.exitCode !== null || child.signalCode !== null,
      logFiles: [paths.brokerLog, paths.jvmLog],
    });
    // A directory formatted by an earlier version lacks the per-client users; a fresh one has them all.
    // Only the SASL_SSL listener can tell, so with it off they are checked on a later start that has it.
    if (saslSsl && !formatted) {
      const added = await ensureScramUsers(bootstrapServers, saslSsl);
      if (added.length > 0) process.stderr.write(`[kafka] added SCRAM users ${added.join(', ')}\n`);
    }
    await ensureKafkaAcls(bootstrapServers);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', stopOnAbort);
  }
  if (opts.signal?.aborted) {
    // Ready just as the stop came: the listener has begun stopping it; wait for that before giving up.
    await stop();
    opts.signal.throwIfAborted();
  }
  return { bootstrapServers, saslSsl, origin: BrokerOrigin.started, pid, exited, stop };
};
