import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureKafkaJars } from '../../../infra/local/broker/index.js';
import { jvmOptions } from '../../../infra/local/broker/java.js';
import { runCommandOrThrow } from '../../../infra/local/broker/run-command.js';
import { stopProcess } from '../../../infra/local/broker/stop-process.js';
import { newClusterId } from '../../../infra/local/broker/storage.js';

/** Re-exported for the tests that start a throwaway broker beside the suite's. */
export { freePort } from './free-port.js';

export interface ThrowawayBroker {
  readonly workDir: string;
  readonly dataDir: string;
  /** The tail of the JVM's output, for a failure message. */
  logTail(): Promise<string>;
  hasExited(): boolean;
  stop(): Promise<void>;
}

/**
 * A second broker in a temp dir, beside the suite's: `render` writes its server.properties for the given
 * data dir, the storage is formatted with `scramUsers` (`name=..,password=..`), and the JVM is started.
 * The caller waits for it in whatever way its listeners allow.
 */
export const startThrowawayBroker = async (input: {
  readonly render: (dataDir: string) => string;
  readonly scramUsers: readonly string[];
}): Promise<ThrowawayBroker> => {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'throwaway-broker-'));
  const dataDir = path.join(workDir, 'data');
  const configFile = path.join(workDir, 'server.properties');
  const log4jConfig = path.join(workDir, 'log4j2.properties');
  const jvmLog = path.join(workDir, 'jvm.log');
  await writeFile(configFile, input.render(dataDir));
  await writeFile(log4jConfig, 'rootLogger.level = WARN\n');
  const classpath = await ensureKafkaJars();
  await runCommandOrThrow('java', [
    '-cp',
    classpath,
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    newClusterId(),
    '--config',
    configFile,
    ...input.scramUsers.flatMap((user) => ['--add-scram', `SCRAM-SHA-512=[${user}]`]),
  ]);
  const child: ChildProcess = spawn(
    'java',
    [...jvmOptions({ heap: '384m', log4jConfig }), '-cp', classpath, 'kafka.Kafka', configFile],
    { stdio: ['ignore', openSync(jvmLog, 'a'), openSync(jvmLog, 'a')] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    workDir,
    dataDir,
    logTail: async () => (await readFile(jvmLog, 'utf8').catch(() => '')).slice(-3000),
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      if (child.pid !== undefined) await stopProcess(child.pid, { exited });
      await rm(workDir, { recursive: true, force: true });
    },
  };
};
