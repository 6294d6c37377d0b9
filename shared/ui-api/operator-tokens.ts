import { safeEqual } from './session.js';

/** One named operator and the access token that signs them in. */
export interface OperatorToken {
  readonly name: string;
  readonly token: string;
}

/** The name a single bare token signs in as. */
export const defaultOperatorName = 'operator';

const namePattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses the operators' tokens as kept in the secret store (`UI_TOKEN_PARAMETER` on AWS,
 * `UI_ACCESS_TOKEN` locally): either a JSON object `{"alice": "<token>", "bob": "<token>"}`, or one
 * bare token, which signs in as `operator`. Names end up in logs and in the redrive ledger, so they
 * are restricted to a safe alphabet.
 */
export const parseOperatorTokens = (text: string): OperatorToken[] => {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    if (trimmed === '') throw new Error('the UI access token is empty');
    return [{ name: defaultOperatorName, token: trimmed }];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new Error('the UI access tokens are not valid JSON ({"name": "token", …})');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('the UI access tokens must be a JSON object of name to token');
  }
  const operators = Object.entries(parsed).map(([name, token]) => {
    if (!namePattern.test(name))
      throw new Error(`operator name '${name.slice(0, 64)}' must match ${namePattern}`);
    if (typeof token !== 'string' || token.trim() === '') {
      throw new Error(`the token of operator ${name} must be a non-empty string`);
    }
    return { name, token };
  });
  if (operators.length === 0) throw new Error('the UI access tokens name no operator');
  const tokens = new Set(operators.map((operator) => operator.token));
  if (tokens.size !== operators.length) throw new Error('two operators share one access token');
  return operators;
};

/**
 * The operator a presented token belongs to. Every token is compared, in constant time, so the time
 * taken says nothing about which one nearly matched.
 */
export const operatorFor = (operators: readonly OperatorToken[], presented: string): string | undefined => {
  let found: string | undefined;
  for (const operator of operators) {
    if (safeEqual(presented, operator.token) && found === undefined) found = operator.name;
  }
  return found;
};
