import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of the process. Service name and level come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_LOG_LEVEL, so the same JSON lines appear in CloudWatch and on a laptop.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'orders-dlq' });
