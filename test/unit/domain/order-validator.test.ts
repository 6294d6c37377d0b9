import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { orderValidatorFile, orderValidatorSource } from '../../../infra/local/order-validator.js';
import { orderSchema } from '../../../shared/domain/order-schema.js';
import { acceptOrder } from '../../../shared/domain/order-validator.generated.js';
import { rejected } from '../../../shared/domain/schema-rejected.js';
import { mutations, validOrders } from '../helpers/order-mutations.js';

describe('the generated order validator', () => {
  it('is generated from the order schema as it is now', async () => {
    // Act
    const committed = await readFile(orderValidatorFile, 'utf8');

    // Assess: after a schema change, `npm run generate:validator` brings it up to date
    expect(committed).toBe(orderValidatorSource());
  });

  it('accepts every valid order with the output zod gives, keys in zod order', () => {
    // Act
    const outputs = validOrders.map((order) => acceptOrder(order));

    // Assess
    const expected = validOrders.map((order) => orderSchema.parse(order));
    expect(outputs).toEqual(expected);
    outputs.forEach((output, index) => {
      expect(Object.keys(output as object)).toEqual(Object.keys(expected[index] as object));
    });
  });

  it('accepts only what zod accepts, with the same output, over boundary and wrong-type mutations', () => {
    // Prepare
    const inputs = mutations();

    // Act
    const disagreements = inputs.filter((input) => {
      const fast = acceptOrder(input);
      const slow = orderSchema.safeParse(input);
      if (fast === rejected) return slow.success;
      return !slow.success || JSON.stringify(fast) !== JSON.stringify(slow.data);
    });

    // Assess
    expect(inputs.length).toBeGreaterThan(1_000);
    expect(disagreements).toEqual([]);
  });

  it('loads without zod', async () => {
    // Act
    const source = await readFile(orderValidatorFile, 'utf8');

    // Assess: the one import of a value is the zod-free `rejected`; the order type is erased
    const imports = source.split('\n').filter((line) => line.startsWith('import '));
    expect(imports).toEqual([
      "import type { Order } from './order-schema.js';",
      "import { type Rejected, rejected as r } from './schema-rejected.js';",
    ]);
  });
});
