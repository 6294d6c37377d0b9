import { createConsumerHandler } from '../../shared/consumer/consumer-handler.js';

/** Consumes orders.retry: waits until each record is due, then retries it or dead-letters it. */
export const handler = createConsumerHandler({ role: 'retry' });
