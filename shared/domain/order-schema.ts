import { z } from 'zod';
import { expectedFailure, OrderValidationError, withoutStackFrames } from './errors.js';
import { acceptOrder } from './order-validator.generated.js';
import { decodeOrderJson } from './order-value.js';
import { rejected } from './schema-rejected.js';

/**
 * Deterministic failure knobs, so the demo and the tests are reproducible. They live in the order
 * itself because that is the only thing that travels with the record through every topic.
 */
export const simulateSchema = z
  .object({
    /** Processing fails transiently on attempts 1..N and succeeds on attempt N + 1. */
    transientFailures: z.number().int().min(0).max(1000).optional(),
    /** Processing fails permanently on every attempt. */
    permanentFailure: z.boolean().optional(),
    /**
     * Processing fails permanently until an operator redrives the record from the DLQ (its headers
     * then carry a redrive count). Lets the demo and the browser test show a redrive that succeeds.
     */
    failUntilRedriven: z.boolean().optional(),
  })
  .strict();

export const orderItemSchema = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive().max(10_000),
});

export const orderSchema = z.object({
  orderId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'orderId may only contain letters, digits and . _ : -'),
  amount: z.number().finite().nonnegative().max(1_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code such as EUR')
    .default('EUR'),
  customerId: z.string().min(1).max(128).optional(),
  items: z.array(orderItemSchema).max(500).optional(),
  createdAt: z.string().datetime({ offset: true }).optional(),
  simulate: simulateSchema.optional(),
});

export type Order = z.infer<typeof orderSchema>;
export type OrderInput = z.input<typeof orderSchema>;
export type SimulateKnobs = z.infer<typeof simulateSchema>;

/**
 * Turns a record value into an order, or throws a permanent error that says why not (the consumers read
 * values with `readOrderValue`, which loads this module only for a value it rejects).
 */
export const parseOrderValue = (value: Uint8Array | null): Order => validateOrder(decodeOrderJson(value));

/**
 * Validates an already-parsed value against the order schema. The validator generated from this schema
 * (`order-validator.generated.ts`) accepts the valid orders; zod runs only on a rejection, so the message
 * is zod's, unchanged.
 */
export const validateOrder = (json: unknown): Order => {
  const order = acceptOrder(json);
  if (order !== rejected) return order;
  const result = orderSchema.safeParse(json);
  if (result.success) return result.data;
  // Reading `result.error` constructs a ZodError, and with it a stack nobody reads.
  const issues = withoutStackFrames(() => result.error.issues);
  throw expectedFailure(OrderValidationError, `invalid order: ${formatIssues(issues)}`, { cause: issues });
};

/** A short, single-line summary of schema issues, e.g. `amount: Expected number, received string`. */
export const formatIssues = (issues: readonly z.ZodIssue[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
