import { parseJavaMajor } from '../preflight/versions.js';
import { runCommand } from './run-command.js';

const MIN_JAVA_MAJOR = 17;

/** Fails early, with a message that says what to install, when `java` is missing or older than Kafka 4 needs. */
export const assertJavaVersion = async (): Promise<void> => {
  const { lines } = await runCommand('java', ['-version']);
  const major = parseJavaMajor(lines.join('\n'));
  if (major === undefined || major < MIN_JAVA_MAJOR) {
    throw new Error(
      `Kafka 4 needs Java ${MIN_JAVA_MAJOR}+ on PATH, found: ${lines[0] ?? 'nothing'}. Install a JDK ${MIN_JAVA_MAJOR}+ or set KAFKA_BROKERS to use an existing cluster.`,
    );
  }
};

/** JVM options shared by the broker and the perf tools: a bounded heap and the broker's usual G1 settings. */
export const jvmOptions = (input: { heap: string; log4jConfig: string }): string[] => [
  `-Xms${input.heap}`,
  `-Xmx${input.heap}`,
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-Djava.awt.headless=true',
  `-Dlog4j2.configurationFile=${input.log4jConfig}`,
];
