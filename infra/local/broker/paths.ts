import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root, found from this file so the CLI works from any working directory. */
export const REPO_ROOT = resolve(here, '..', '..', '..');

const kafkaHome = join(REPO_ROOT, '.local', 'kafka');

/** Where one broker keeps its own files: data, configs, logs, pid file and start lock. */
export const brokerPaths = (home: string) =>
  ({
    home,
    data: join(home, 'data'),
    logs: join(home, 'logs'),
    brokerLog: join(home, 'logs', 'server.log'),
    jvmLog: join(home, 'logs', 'jvm-stdout.log'),
    config: join(home, 'config'),
    tls: join(home, 'tls'),
    state: join(home, 'broker.json'),
    lock: join(home, 'start.lock'),
  }) as const;
export type BrokerPaths = ReturnType<typeof brokerPaths>;

// Everything lives under `.local/` (git-ignored) so `rm -rf .local` is a full reset. The jars are shared by
// every broker home: they depend only on the pom.
export const LOCAL_PATHS = {
  pom: join(here, 'pom.xml'),
  libs: join(kafkaHome, 'libs'),
  libsStamp: join(kafkaHome, 'libs', '.stamp'),
  ...brokerPaths(kafkaHome),
} as const;
