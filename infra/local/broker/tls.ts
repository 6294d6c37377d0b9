import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_PATHS } from './paths.js';
import { runCommandOrThrow } from './run-command.js';

/**
 * Local-only secret. The keystore protects a broker bound to 127.0.0.1 on a laptop or CI runner; it is never
 * used on AWS, where the host makes its own CA and key at boot.
 */
export const LOCAL_TLS_STORE_PASSWORD = 'local-only-changeit';

export interface LocalTls {
  readonly keystorePath: string;
  readonly keystorePassword: string;
  readonly caPem: string;
}

const filesIn = (dir: string) =>
  ({
    caStore: join(dir, 'ca.p12'),
    caPem: join(dir, 'ca.pem'),
    brokerStore: join(dir, 'broker.p12'),
    brokerCsr: join(dir, 'broker.csr'),
    brokerPem: join(dir, 'broker.pem'),
  }) as const;
const files = filesIn(LOCAL_PATHS.tls);

// keytool ships with every JDK, and the broker already needs one, so TLS adds no new prerequisite.
const keytool = (args: readonly string[]) => runCommandOrThrow('keytool', ['-noprompt', ...args]);

// Generates into a scratch directory and renames it into place, so an interrupted run never leaves a
// half-built keystore that a later run would mistake for a finished one.
const generate = async (): Promise<void> => {
  const scratch = `${LOCAL_PATHS.tls}.tmp-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  await generateInto(filesIn(scratch));
  await rm(LOCAL_PATHS.tls, { recursive: true, force: true });
  await rename(scratch, LOCAL_PATHS.tls);
};

const generateInto = async (files: ReturnType<typeof filesIn>): Promise<void> => {
  const pass = LOCAL_TLS_STORE_PASSWORD;
  const store = (path: string) => ['-keystore', path, '-storetype', 'PKCS12', '-storepass', pass];
  const newKey = ['-genkeypair', '-keyalg', 'RSA', '-keysize', '2048', '-keypass', pass];

  // A self-signed CA (basicConstraints CA:true, which Node's verifier requires of a trust anchor).
  await keytool([
    ...newKey,
    '-alias',
    'ca',
    '-dname',
    'CN=kafka-dlq-orders local CA',
    '-ext',
    'bc:c',
    '-validity',
    '3650',
    ...store(files.caStore),
  ]);
  await keytool(['-exportcert', '-rfc', '-alias', 'ca', ...store(files.caStore), '-file', files.caPem]);
  await keytool([
    ...newKey,
    '-alias',
    'broker',
    '-dname',
    'CN=localhost',
    '-validity',
    '3650',
    ...store(files.brokerStore),
  ]);
  await keytool(['-certreq', '-alias', 'broker', ...store(files.brokerStore), '-file', files.brokerCsr]);
  // The SAN covers both names a client may dial; the broker advertises 127.0.0.1.
  await keytool([
    '-gencert',
    '-rfc',
    '-alias',
    'ca',
    ...store(files.caStore),
    '-infile',
    files.brokerCsr,
    '-outfile',
    files.brokerPem,
    '-validity',
    '3650',
    '-ext',
    'SAN=dns:localhost,ip:127.0.0.1',
    '-ext',
    'EKU=serverAuth',
  ]);
  await keytool(['-importcert', '-alias', 'ca', '-file', files.caPem, ...store(files.brokerStore)]);
  await keytool(['-importcert', '-alias', 'broker', '-file', files.brokerPem, ...store(files.brokerStore)]);
};

/** Creates the local CA and broker keystore once under `.local/kafka/tls`, and reuses them afterwards. */
export const ensureLocalTls = async (): Promise<LocalTls> => {
  if (!existsSync(files.brokerStore) || !existsSync(files.caPem)) {
    await generate();
  }
  return {
    keystorePath: files.brokerStore,
    keystorePassword: LOCAL_TLS_STORE_PASSWORD,
    caPem: await readFile(files.caPem, 'utf8'),
  };
};
