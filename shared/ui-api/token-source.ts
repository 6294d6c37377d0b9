import type { AppConfig } from '../adapters/config.js';

// Cached for five minutes, like the Kafka secrets: a rotated token applies without a redeploy.
const tokenMaxAgeSeconds = 300;

/**
 * Where the operators' tokens come from: given directly (local adapter, tests), the SSM SecureString
 * named by `UI_TOKEN_PARAMETER` (AWS; named tokens `alice:t1,bob:t2` or one bare token), or locally
 * `UI_OPERATOR_TOKENS` and/or `UI_ACCESS_TOKEN` (the latter signs in as `operator`).
 */
export const tokenSource = (config: AppConfig, given?: string): (() => Promise<string>) => {
  if (given !== undefined) return async () => given;
  const parameter = config.uiTokenParameter;
  if (parameter !== undefined) {
    return async () => {
      // Imported lazily: locally there is no SSM, and a cold start that serves only the page skips the SDK.
      const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
      const token = await getParameter(parameter, { decrypt: true, maxAge: tokenMaxAgeSeconds });
      if (!token) throw new Error(`SSM parameter ${parameter} is empty`);
      return token;
    };
  }
  const named = config.uiOperatorTokens;
  const legacy = config.uiAccessToken;
  if (named === undefined && legacy === undefined) {
    throw new Error(
      'Environment variable UI_TOKEN_PARAMETER, UI_OPERATOR_TOKENS or UI_ACCESS_TOKEN is required',
    );
  }
  const combined = [
    named,
    legacy === undefined ? undefined : named === undefined ? legacy : `operator:${legacy}`,
  ]
    .filter((part) => part !== undefined)
    .join(',');
  return async () => combined;
};
