import { createConsumerHandler } from '../../shared/consumer/consumer-handler.js';

/** Consumes orders.v1: transient failures go to orders.retry, permanent ones to orders.dlq. */
export const handler = createConsumerHandler({ role: 'main' });
