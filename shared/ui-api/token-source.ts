import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AppConfig } from '../adapters/config.js';

// Cached for five minutes, like the Kafka secrets: a rotated token applies without a redeploy.
const tokenMaxAgeSeconds = 300;
let ssm: SSMClient | undefined;

/**
 * Where the operators' tokens come from: given directly (local adapter, tests), the SSM SecureString
 * named by `UI_TOKEN_PARAMETER` (AWS; named tokens `alice:t1,bob:t2` or one bare token), or locally
 * `UI_OPERATOR_TOKENS` and/or `UI_ACCESS_TOKEN` (the latter signs in as `operator`).
 */
export const tokenSource = (config: AppConfig, given?: string): (() => Promise<string>) => {
  if (given !== undefined) return async () => given;
  const parameter = config.uiTokenParameter;
  if (parameter !== undefined) {
    let cached: { value: string; until: number } | undefined;
    return async () => {
      if (cached !== undefined && cached.until > Date.now()) return cached.value;
      // The SDK client is imported on first use, straight from the runtime's `@aws-sdk` (external to the
      // bundle). Through Powertools Parameters it would be a static import of the bundle, loaded at every
      // cold start even when the request is for the page.
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      ssm ??= new SSMClient({});
      const output = await ssm.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
      const value = output.Parameter?.Value;
      if (!value) throw new Error(`SSM parameter ${parameter} is empty`);
      cached = { value, until: Date.now() + tokenMaxAgeSeconds * 1000 };
      return value;
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
