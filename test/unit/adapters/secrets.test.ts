import { describe, expect, it, vi } from 'vitest';

// The SDK module as the container sees it: the first load fails (a truncated deployment, an EMFILE),
// the next ones succeed and answer every read with the same secret.
const sdk = vi.hoisted(() => ({ loads: 0, reads: 0 }));
vi.mock('@aws-sdk/client-secrets-manager', () => {
  sdk.loads += 1;
  if (sdk.loads === 1) throw new Error('cannot load the SDK');
  return {
    GetSecretValueCommand: class {
      constructor(readonly input: unknown) {}
    },
    SecretsManagerClient: class {
      async send() {
        sdk.reads += 1;
        return { SecretString: '{"username":"u"}' };
      }
    },
  };
});

const { readJsonSecret } = await import('../../../shared/adapters/secrets.js');

describe('readJsonSecret', () => {
  it('loads the SDK again after a failed load, instead of failing every later read', async () => {
    // Act
    const first = readJsonSecret('id', 0);
    await expect(first).rejects.toBeInstanceOf(Error);
    const second = await readJsonSecret('id', 0);

    // Assess
    expect(second).toEqual({ username: 'u' });
    expect(sdk).toEqual({ loads: 2, reads: 1 });
  });
});
