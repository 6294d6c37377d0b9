import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scramFormatArgs } from './local-users.js';
import { runCommandOrThrow } from './run-command.js';

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints).
 * Like Kafka's own `Uuid.randomUuid()`, it never starts with '-': the storage tool would read such an id
 * as an option and fail one first start in 64.
 */
export const newClusterId = (): string => {
  let id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')) id = randomBytes(16).toString('base64url');
  return id;
};

/**
 * Formats the KRaft log directory once. The SCRAM users are always written at format time (KRaft stores them
 * in the metadata log, KIP-900), so the SASL_SSL listener can be switched on later without reformatting. A
 * directory formatted by an earlier version is kept as it is: `ensureScramUsers` adds the users it lacks.
 */
export const formatStorageIfNeeded = async (input: {
  classpath: string;
  configFile: string;
  dataDir: string;
  log4jConfig: string;
}): Promise<boolean> => {
  if (existsSync(join(input.dataDir, 'meta.properties'))) {
    return false;
  }
  await runCommandOrThrow('java', [
    '-cp',
    input.classpath,
    `-Dlog4j2.configurationFile=${input.log4jConfig}`,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    newClusterId(),
    '--config',
    input.configFile,
    ...scramFormatArgs(),
  ]);
  return true;
};
