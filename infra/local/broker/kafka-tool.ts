import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureKafkaJars } from './jars.js';
import { jvmOptions } from './java.js';
import { LOCAL_PATHS } from './paths.js';
import { type CommandResult, runCommandOrThrow } from './run-command.js';

// Tools print their results on stdout; their own logging goes to stderr, and only when something is wrong.
const TOOLS_LOG4J2 = [
  'status = warn',
  'appender.stderr.type = Console',
  'appender.stderr.name = stderr',
  'appender.stderr.target = SYSTEM_ERR',
  'appender.stderr.layout.type = PatternLayout',
  'appender.stderr.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = WARN',
  'rootLogger.appenderRef.stderr.ref = stderr',
  '',
].join('\n');

/**
 * Runs a Kafka command-line tool's main class (for example `org.apache.kafka.tools.ProducerPerformance`)
 * from the same jars as the broker, and returns its output lines. Fails with the output tail on a non-zero exit.
 */
export const runKafkaTool = async (
  mainClass: string,
  args: readonly string[],
  options: { heap?: string } = {},
): Promise<CommandResult> => {
  const classpath = await ensureKafkaJars();
  await mkdir(LOCAL_PATHS.config, { recursive: true });
  const log4jConfig = join(LOCAL_PATHS.config, 'tools-log4j2.properties');
  await writeFile(log4jConfig, TOOLS_LOG4J2);
  return runCommandOrThrow('java', [
    ...jvmOptions({ heap: options.heap ?? '512m', log4jConfig }),
    '-cp',
    classpath,
    mainClass,
    ...args,
  ]);
};
