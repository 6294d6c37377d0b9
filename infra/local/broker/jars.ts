import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_VERSION } from './kafka-version.js';
import { LOCAL_PATHS } from './paths.js';
import { runCommandOrThrow } from './run-command.js';

const log = (message: string): void => {
  process.stderr.write(`[kafka-jars] ${message}\n`);
};

const pomHash = async (): Promise<string> =>
  createHash('sha256')
    .update(await readFile(LOCAL_PATHS.pom))
    .digest('hex');

// Maven prints one "Downloaded from central: <url> (<size> at <rate>)" line per artefact in batch mode.
const DOWNLOADED = /Downloaded from \S+: (\S+\/([^/\s]+\.jar)) \(([^)]*?)(?: at [^)]*)?\)/;

/**
 * Makes sure the Kafka broker and tool jars are in `.local/kafka/libs` and returns the JVM classpath (a
 * directory glob). The first run resolves them from Maven Central; later runs trust a stamp keyed on the
 * pom's hash, so changing the pom (say, the Kafka version) refetches.
 */
export const ensureKafkaJars = async (): Promise<string> => {
  const classpath = join(LOCAL_PATHS.libs, '*');
  const hash = await pomHash();
  if (existsSync(LOCAL_PATHS.libsStamp) && (await readFile(LOCAL_PATHS.libsStamp, 'utf8')).trim() === hash) {
    return classpath;
  }

  const startedAt = Date.now();
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central (first run only)...`);
  await rm(LOCAL_PATHS.libs, { recursive: true, force: true });
  await mkdir(LOCAL_PATHS.libs, { recursive: true });
  let downloads = 0;
  await runCommandOrThrow(
    'mvn',
    [
      '-B',
      '-f',
      LOCAL_PATHS.pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${LOCAL_PATHS.libs}`,
      '-DincludeScope=runtime',
    ],
    {
      onLine: (line) => {
        const match = DOWNLOADED.exec(line);
        if (match) {
          downloads += 1;
          log(`  ${String(downloads).padStart(3)} ${match[2]} (${match[3]})`);
        }
      },
    },
  );
  const jars = (await readdir(LOCAL_PATHS.libs)).filter((name) => name.endsWith('.jar'));
  if (!jars.some((name) => name.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`Maven finished but kafka_2.13-${KAFKA_VERSION}.jar is not in ${LOCAL_PATHS.libs}`);
  }
  await writeFile(LOCAL_PATHS.libsStamp, `${hash}\n`);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const source = downloads > 0 ? `${downloads} files downloaded` : 'all from the local Maven cache';
  log(`${jars.length} jars ready in ${seconds}s (${source})`);
  return classpath;
};
