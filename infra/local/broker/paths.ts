import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root, found from this file so the CLI works from any working directory. */
export const REPO_ROOT = resolve(here, '..', '..', '..');

const kafkaHome = join(REPO_ROOT, '.local', 'kafka');

// Everything lives under `.local/` (git-ignored) so `rm -rf .local` is a full reset.
export const LOCAL_PATHS = {
  pom: join(here, 'pom.xml'),
  home: kafkaHome,
  libs: join(kafkaHome, 'libs'),
  libsStamp: join(kafkaHome, 'libs', '.stamp'),
  data: join(kafkaHome, 'data'),
  logs: join(kafkaHome, 'logs'),
  brokerLog: join(kafkaHome, 'logs', 'server.log'),
  jvmLog: join(kafkaHome, 'logs', 'jvm-stdout.log'),
  config: join(kafkaHome, 'config'),
  tls: join(kafkaHome, 'tls'),
  state: join(kafkaHome, 'broker.json'),
} as const;
