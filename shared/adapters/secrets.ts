/**
 * Reads JSON secrets from Secrets Manager, cached per container for five minutes: a rotated password
 * is picked up without a redeploy, and a warm container does not call Secrets Manager on every
 * invocation. The SDK client is imported here, on the first read, and nowhere else: a static import
 * (even one inside a lazily loaded module) is hoisted to the top of the bundle and paid at every cold
 * start, while only a batch that must publish over SASL ever reads a secret.
 */
const secretMaxAgeMs = 300_000;

interface CachedSecret {
  readonly value: Promise<unknown>;
  readonly expiresAt: number;
}

const cache = new Map<string, CachedSecret>();

type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');
let sdk:
  | Promise<{
      module: SecretsManagerModule;
      client: InstanceType<SecretsManagerModule['SecretsManagerClient']>;
    }>
  | undefined;

/** A failed load is forgotten, as a failed read is: the redelivered batch loads it again. */
const loadClient = () => {
  sdk ??= import('@aws-sdk/client-secrets-manager')
    .then((module) => ({ module, client: new module.SecretsManagerClient({}) }))
    .catch((error: unknown) => {
      sdk = undefined;
      throw error;
    });
  return sdk;
};

const fetchJson = async (secretId: string): Promise<unknown> => {
  const { module, client } = await loadClient();
  const response = await client.send(new module.GetSecretValueCommand({ SecretId: secretId }));
  const text =
    response.SecretString ??
    (response.SecretBinary === undefined ? undefined : Buffer.from(response.SecretBinary).toString('utf8'));
  if (text === undefined || text === '') throw new Error(`secret ${secretId} is empty`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The value is a credential: say what is wrong, never what it holds.
    throw new Error(`secret ${secretId} is not JSON`);
  }
};

/** The secret's JSON value, from the container's cache while it is younger than five minutes. */
export const readJsonSecret = async <T>(secretId: string, now = Date.now()): Promise<T> => {
  const cached = cache.get(secretId);
  if (cached !== undefined && cached.expiresAt > now) return (await cached.value) as T;
  const value = fetchJson(secretId);
  cache.set(secretId, { value, expiresAt: now + secretMaxAgeMs });
  // A failed read is forgotten, so the redelivered batch asks again instead of inheriting the failure.
  value.catch(() => {
    if (cache.get(secretId)?.value === value) cache.delete(secretId);
  });
  return (await value) as T;
};
