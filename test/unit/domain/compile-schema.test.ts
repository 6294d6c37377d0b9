import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileSchema, rejected } from '../../../shared/domain/compile-schema.js';
import { orderSchema } from '../../../shared/domain/order-schema.js';
import { mutations, validOrders } from '../helpers/order-mutations.js';

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

  it('compiles to nothing where code generation is forbidden, while orders still validate', async () => {
    // Prepare: a Node that refuses `new Function`, as a strict CSP or hardened runtime would. The
    // product validates with the module generated at build time, so it needs no code generation.
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
