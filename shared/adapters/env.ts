/** Environment helpers in the manner of Powertools `envUtils`: a missing or malformed value fails loudly. */
export type Env = Readonly<Record<string, string | undefined>>;

export const optionalString = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

export const integer = (env: Env, name: string, fallback: number): number => {
  const raw = optionalString(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw))
    throw new Error(`Environment variable ${name} must be a whole number, got "${raw}"`);
  return Number(raw);
};

export const oneOf = <const T extends readonly string[]>(
  env: Env,
  name: string,
  allowed: T,
  fallback: T[number],
): T[number] => {
  const raw = optionalString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!allowed.includes(raw)) {
    throw new Error(`Environment variable ${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T[number];
};
