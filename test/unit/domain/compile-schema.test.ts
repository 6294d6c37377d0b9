import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileSchema, rejected } from '../../../shared/domain/compile-schema.js';
import { orderSchema } from '../../../shared/domain/order-schema.js';

const validOrders: Record<string, unknown>[] = [
  { orderId: 'o-1', amount: 0 },
  { orderId: 'a.b_c:d-1', amount: 1_000_000_000, currency: 'USD' },
  {
    orderId: 'o-2',
    amount: 12.5,
    customerId: 'c',
    items: [{ sku: 's', quantity: 10_000 }],
    createdAt: '2024-02-29T23:59:59.123+02:00',
    simulate: { transientFailures: 1000, permanentFailure: false, failUntilRedriven: true },
  },
  { orderId: 'o-3', amount: 1, items: [], createdAt: '2026-01-01T00:00:00Z', extra: { kept: false } },
  { orderId: 'x'.repeat(128), amount: 1, items: [{ sku: 'k'.repeat(64), quantity: 1, colour: 'red' }] },
];

/** Values that exercise every check's boundaries and every wrong type. */
const probes: unknown[] = [
  undefined,
  null,
  true,
  0,
  -0,
  -1,
  0.5,
  1,
  10_000,
  10_001,
  1_000_000_001,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'a',
  'a b',
  'EUR',
  'eur',
  'EURO',
  'x'.repeat(129),
  '2024-02-30T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00+0100',
  '2026-01-01',
  [],
  [{ sku: 's', quantity: 1 }],
  [{ sku: '', quantity: 1 }],
  [{ sku: 's', quantity: 0 }],
  [{ sku: 's' }],
  Array.from({ length: 501 }, () => ({ sku: 's', quantity: 1 })),
  {},
  { transientFailures: 1 },
  { transientFailures: -1 },
  { transientFailures: 1.5 },
  { explode: true },
  new Date(0),
];

const fields = ['orderId', 'amount', 'currency', 'customerId', 'items', 'createdAt', 'simulate'];

/** Every valid order with every field replaced by every probe, and removed. */
const mutations = (): unknown[] => {
  const inputs: unknown[] = [...probes];
  for (const order of validOrders) {
    for (const field of fields) {
      const { [field]: _removed, ...without } = order;
      inputs.push(without);
      for (const probe of probes) inputs.push({ ...order, [field]: probe });
    }
  }
  return inputs;
};

describe('compileSchema', () => {
  it('compiles the order schema', () => {
    // Act
    const compiled = compileSchema(orderSchema);

    // Assess
    expect(compiled).toBeTypeOf('function');
  });

  it('accepts every valid order with the output zod gives', () => {
    // Prepare
    const compiled = compileSchema(orderSchema);

    // Act
    const outputs = validOrders.map((order) => compiled?.(order));

    // Assess
    expect(outputs).toEqual(validOrders.map((order) => orderSchema.parse(order)));
    for (const [index, output] of outputs.entries()) {
      expect(Object.keys(output as object)).toEqual(Object.keys(orderSchema.parse(validOrders[index])));
    }
  });

  it('accepts only what zod accepts, with the same output, over boundary and wrong-type mutations', () => {
    // Prepare
    const compiled = compileSchema(orderSchema);
    const inputs = mutations();

    // Act
    const disagreements = inputs.filter((input) => {
      const fast = compiled?.(input);
      const slow = orderSchema.safeParse(input);
      if (fast === rejected) return slow.success;
      return !slow.success || JSON.stringify(fast) !== JSON.stringify(slow.data);
    });

    // Assess
    expect(inputs.length).toBeGreaterThan(1_000);
    expect(disagreements).toEqual([]);
  });

  it('rejects an unknown key in a strict object instead of stripping it', () => {
    // Prepare
    const compiled = compileSchema(z.object({ a: z.number() }).strict());

    // Act
    const result = compiled?.({ a: 1, b: 2 });

    // Assess
    expect(result).toBe(rejected);
  });

  it.each([
    { label: 'a transform', schema: z.string().transform((text) => text.length) },
    { label: 'a coercion', schema: z.coerce.number() },
    { label: 'a multipleOf check', schema: z.number().multipleOf(5) },
    { label: 'an e-mail check', schema: z.string().email() },
    { label: 'a passthrough object', schema: z.object({}).passthrough() },
  ])('declines to compile $label, leaving it to zod', ({ schema }) => {
    // Act
    const compiled = compileSchema(schema);

    // Assess
    expect(compiled).toBeUndefined();
  });

  it('leaves validation to zod where code generation is forbidden', async () => {
    // Prepare: a Node that refuses `new Function`, as a strict CSP or hardened runtime would
    const script = `
      const { compileSchema } = await import('./shared/domain/compile-schema.ts');
      const { orderSchema, validateOrder } = await import('./shared/domain/order-schema.ts');
      let rejection = '';
      try { validateOrder({ orderId: 'o-1' }); } catch (error) { rejection = error.message; }
      process.stdout.write(JSON.stringify({
        compiled: typeof compileSchema(orderSchema),
        accepted: validateOrder({ orderId: 'o-1', amount: 1 }),
        rejection,
      }));`;

    // Act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: path.resolve(import.meta.dirname, '../../..'), timeout: 30_000 },
    );

    // Assess
    expect(JSON.parse(stdout)).toEqual({
      compiled: 'undefined',
      accepted: { orderId: 'o-1', amount: 1, currency: 'EUR' },
      rejection: 'invalid order: amount: Required',
    });
  }, 30_000);
});
