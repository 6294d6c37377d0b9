import { z } from 'zod/v4';

/**
 * `shared/domain/order-schema.ts` written for zod 4 (`zod/v4`, shipped inside the zod 3.25 package),
 * for the validation comparison only (`validation.ts`); the product validates with the zod 3 schema.
 * Field for field the same rules, so both accept the same orders.
 */
export const orderSchemaZod4 = z.object({
  orderId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'orderId may only contain letters, digits and . _ : -'),
  amount: z.number().nonnegative().max(1_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code such as EUR')
    .default('EUR'),
  customerId: z.string().min(1).max(128).optional(),
  items: z
    .array(z.object({ sku: z.string().min(1).max(64), quantity: z.number().int().positive().max(10_000) }))
    .max(500)
    .optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  simulate: z
    .strictObject({
      transientFailures: z.number().int().min(0).max(1000).optional(),
      permanentFailure: z.boolean().optional(),
      failUntilRedriven: z.boolean().optional(),
    })
    .optional(),
});
