import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCommandOrThrow } from './run-command.js';
import { LOCAL_SCRAM_PASSWORD, LOCAL_SCRAM_USER } from './tls.js';

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
 * Formats the KRaft log directory once. The SCRAM user is always written at format time (KRaft stores it in
 * the metadata log), so the SASL_SSL listener can be switched on later without reformatting.
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
    '--add-scram',
    `SCRAM-SHA-512=[name=${LOCAL_SCRAM_USER},password=${LOCAL_SCRAM_PASSWORD}]`,
  ]);
  return true;
};
