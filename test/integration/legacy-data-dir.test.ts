import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaslSslEndpoint } from '../../infra/local/broker/index.js';
import { KafkaUser } from '../../infra/local/broker/kafka-acls.js';
import { LEGACY_LOCAL_USER, localScramUsers } from '../../infra/local/broker/local-users.js';
import { waitForBroker } from '../../infra/local/broker/readiness.js';
import { canAuthenticate, ensureScramUsers } from '../../infra/local/broker/scram-users.js';
import { renderServerProperties } from '../../infra/local/broker/server-config.js';
import { ensureLocalTls } from '../../infra/local/broker/tls.js';
import { freePort, startThrowawayBroker, type ThrowawayBroker } from './helpers/throwaway-broker.js';

// A data directory formatted by the version with one SCRAM user (`local-dev`) must keep working after an
// upgrade. This test formats such a directory for a throwaway broker of the same config the local tooling
// writes, and runs the same step the broker start runs on an existing directory.

const LEGACY_PASSWORD = 'local-dev-secret-not-for-aws';

describe('a data directory from the single-user version', () => {
  let plaintext = '';
  let endpoint: SaslSslEndpoint;
  let broker: ThrowawayBroker | undefined;

  beforeAll(async () => {
    // Prepare: format with only the legacy user, as the earlier version did, then start the broker.
    const [port, controllerPort, saslSslPort] = [await freePort(), await freePort(), await freePort()];
    const tls = await ensureLocalTls();
    broker = await startThrowawayBroker({
      render: (dataDir) => renderServerProperties({ port, controllerPort, saslSslPort, tls, dataDir }),
      scramUsers: [`name=${LEGACY_LOCAL_USER},password=${LEGACY_PASSWORD}`],
    });
    const started = broker;
    plaintext = `127.0.0.1:${port}`;
    await waitForBroker(plaintext, { timeoutMs: 150_000, hasExited: () => started.hasExited() });
    const users = localScramUsers();
    endpoint = {
      bootstrapServers: `127.0.0.1:${saslSslPort}`,
      caPem: tls.caPem,
      ...users[KafkaUser.admin],
      users,
    };
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('gets every per-client user at start, loses local-dev, and needs nothing on the next start', async () => {
    // Prepare
    const legacy = { username: LEGACY_LOCAL_USER, password: LEGACY_PASSWORD };
    const legacyBefore = await canAuthenticate(endpoint, legacy);

    // Act
    const added = await ensureScramUsers(plaintext, endpoint);
    const addedAgain = await ensureScramUsers(plaintext, endpoint);

    // Assess
    expect(legacyBefore).toBe(true);
    expect([...added].sort()).toEqual(Object.values(KafkaUser).sort());
    expect(addedAgain).toEqual([]);
    for (const user of Object.values(endpoint.users)) {
      expect(await canAuthenticate(endpoint, user), user.username).toBe(true);
    }
    expect(await canAuthenticate(endpoint, legacy)).toBe(false);
    // One kafka-configs JVM per user: generous room for a loaded 2-core runner.
  }, 300_000);
});
