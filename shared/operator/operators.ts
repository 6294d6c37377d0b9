import { createHash, timingSafeEqual } from 'node:crypto';
import type { Operator } from '../contract/operator.js';

export interface NamedToken {
  readonly name: string;
  readonly token: string;
}

/** The name the single legacy access token (`UI_ACCESS_TOKEN`) signs in as. */
export const DefaultOperatorName = 'operator';

export class OperatorTokensError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorTokensError';
  }
}

const namePattern = /^[A-Za-z0-9][\w.@-]{0,63}$/;

/**
 * Parses the named tokens, `alice:token1,bob:token2` (the value of `UI_OPERATOR_TOKENS`, or of the
 * secret that holds them), plus the legacy single token as `operator`. A malformed entry, a duplicate
 * name or a token shared by two names fails loudly: a shared token would make the audit trail lie.
 */
export const parseOperatorTokens = (list: string | undefined, legacyToken?: string): NamedToken[] => {
  const tokens: NamedToken[] = [];
  for (const part of (list ?? '').split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const at = entry.indexOf(':');
    const name = entry.slice(0, at).trim();
    const token = entry.slice(at + 1).trim();
    if (at <= 0 || !namePattern.test(name)) {
      throw new OperatorTokensError('operator tokens: expected name:token entries separated by commas');
    }
    if (token === '') throw new OperatorTokensError(`operator tokens: ${name} has an empty token`);
    tokens.push({ name, token });
  }
  if (legacyToken !== undefined && legacyToken !== '')
    tokens.push({ name: DefaultOperatorName, token: legacyToken });
  const names = new Set<string>();
  const secrets = new Set<string>();
  for (const { name, token } of tokens) {
    if (names.has(name)) throw new OperatorTokensError(`operator tokens: ${name} is named twice`);
    if (secrets.has(token))
      throw new OperatorTokensError(`operator tokens: ${name} shares a token with another name`);
    names.add(name);
    secrets.add(token);
  }
  return tokens;
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The operator a token belongs to, or undefined. Compares against every token in constant time (the
 * hashes even out lengths), so the time taken says nothing about which token came close.
 */
export const operatorForToken = (tokens: readonly NamedToken[], token: string): Operator | undefined => {
  const given = digest(token);
  let found: Operator | undefined;
  for (const entry of tokens) {
    if (timingSafeEqual(given, digest(entry.token)) && found === undefined) found = { name: entry.name };
  }
  return found;
};

/**
 * The tokens a stored value holds (the SSM SecureString of the UI token): a `name:token,...` list, or
 * one bare token, the single token deployments had before named operators, which signs in as
 * `operator`. Generated tokens are alphanumeric, so a colon marks the list form.
 */
export const parseTokenStore = (value: string): NamedToken[] =>
  value.includes(':') ? parseOperatorTokens(value) : parseOperatorTokens(undefined, value.trim());
