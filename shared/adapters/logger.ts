import { Logger } from '@aws-lambda-powertools/logger';

/**
 * A Powertools Logger for one handler. Service name and level come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_LOG_LEVEL, so the same JSON lines appear in CloudWatch and on a laptop. One per handler,
 * not one per module: on Lambda that is the same thing, while locally several handlers share a process
 * and must not stamp each other's function name and keys on their lines.
 */
export const createLogger = (): Logger =>
  new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'orders-dlq' });
