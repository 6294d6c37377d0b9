import { type NamedToken, parseOperatorTokens, parseTokenStore } from '../operator/operators.js';
import type { AppConfig } from './config.js';

// Cached for five minutes, like the Kafka secrets: a rotated or added token applies without a redeploy.
const tokenMaxAgeSeconds = 300;

/**
 * The named operator tokens of this deployment. On AWS they are the value of the SSM SecureString
 * `UI_TOKEN_PARAMETER` (a `name:token,...` list, or the one legacy token); locally
 * `UI_OPERATOR_TOKENS`, plus `UI_ACCESS_TOKEN` as the default operator. Fails when there is none.
 */
export const loadOperatorTokens = async (config: AppConfig): Promise<NamedToken[]> => {
  if (config.uiTokenParameter !== undefined) {
    // Imported lazily: locally there is no SSM and the SDK is not needed.
    const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
    const value = await getParameter(config.uiTokenParameter, { decrypt: true, maxAge: tokenMaxAgeSeconds });
    if (!value) throw new Error(`SSM parameter ${config.uiTokenParameter} is empty`);
    return parseTokenStore(value);
  }
  const tokens = parseOperatorTokens(config.uiOperatorTokens, config.uiAccessToken);
  if (tokens.length === 0) {
    throw new Error(
      'Environment variable UI_TOKEN_PARAMETER, UI_OPERATOR_TOKENS or UI_ACCESS_TOKEN is required',
    );
  }
  return tokens;
};
