import { expectedFailure, PermanentProcessingError, TransientProcessingError } from './errors.js';
import type { Order } from './order-schema.js';

export interface ProcessingContext {
  /** This attempt's number, 1 for the first. */
  readonly attempt: number;
  readonly eventId: string;
  /** How often an operator redrove this record from the DLQ; absent when never. */
  readonly redriveCount?: number;
  /**
   * Aborted when the batch's time budget runs out (one signal for the whole batch); the records still
   * running are then retried. Pass it to HTTP clients and SDK calls so abandoned work stops.
   */
  readonly signal?: AbortSignal;
}

/** The business step. Replace it with real work; throw an `OrderEventError` subclass to steer routing. */
export type ProcessOrder = (order: Order, context: ProcessingContext) => Promise<void>;

/**
 * The demo's processing: it accepts every order, except where the order's `simulate` knobs ask for a
 * failure. The knobs depend only on the attempt number, so every run of the demo and the tests
 * behaves the same.
 */
export const processOrder: ProcessOrder = async (order, { attempt, redriveCount }) => {
  if (order.simulate?.permanentFailure === true) {
    throw expectedFailure(
      PermanentProcessingError,
      `order ${order.orderId} is rejected (simulate.permanentFailure)`,
    );
  }
  if (order.simulate?.failUntilRedriven === true && (redriveCount ?? 0) === 0) {
    throw expectedFailure(
      PermanentProcessingError,
      `order ${order.orderId} is rejected until redriven (simulate.failUntilRedriven)`,
    );
  }
  const transientFailures = order.simulate?.transientFailures ?? 0;
  if (attempt <= transientFailures) {
    throw expectedFailure(
      TransientProcessingError,
      `order ${order.orderId} failed transiently on attempt ${attempt} of ${transientFailures} planned failures`,
    );
  }
};
