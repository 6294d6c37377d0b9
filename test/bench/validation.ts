import { stat } from 'node:fs/promises';
import { orderSchema, validateOrder } from '../../shared/domain/order-schema.js';
import type { BuiltBundles } from './bundles.js';
import { orderSchemaZod4 } from './order-schema-zod4.js';
import { benchOrders } from './orders.js';
import { median } from './stats.js';

export interface Validation {
  readonly records: number;
  /** µs a record: zod 3 `safeParse`, zod 4 `safeParse`, and the compiled schema the handler runs. */
  readonly zod3Us: number;
  readonly zod4Us: number;
  readonly compiledUs: number;
  /** What each costs a bundle: the schema and its validator, minified, as the functions are built. */
  readonly zod3Kb: number;
  readonly zod4Kb: number;
}

type Validate = (value: unknown) => unknown;

/**
 * The three ways to validate an order (README "Validation"), over the same parsed bench orders, in
 * alternating rounds so a slow stretch of the machine hits all three alike; median round of each.
 * Each must accept every order with the output zod 3 gives, or the comparison is void.
 */
export const measureValidation = async (
  built: BuiltBundles,
  options: { rounds?: number; records?: number } = {},
): Promise<Validation> => {
  const records = options.records ?? 1_000;
  const rounds = options.rounds ?? 60;
  const values = benchOrders('bench-00000000', records).map(
    (order) => JSON.parse(order.value.toString('utf8')) as unknown,
  );
  const ways: Record<'zod3' | 'zod4' | 'compiled', Validate> = {
    zod3: (value) => orderSchema.parse(value),
    zod4: (value) => orderSchemaZod4.parse(value),
    compiled: validateOrder,
  };
  const expected = JSON.stringify(values.map(ways.zod3));
  for (const [name, validate] of Object.entries(ways)) {
    if (JSON.stringify(values.map(validate)) !== expected) {
      throw new Error(`validation: ${name} does not give zod 3's output on the bench orders`);
    }
  }
  const samples = { zod3: [] as number[], zod4: [] as number[], compiled: [] as number[] };
  for (let round = 0; round < rounds; round += 1) {
    for (const name of ['zod3', 'zod4', 'compiled'] as const) {
      const validate = ways[name];
      const startedAt = performance.now();
      for (const value of values) validate(value);
      samples[name].push(((performance.now() - startedAt) * 1000) / records);
    }
  }
  const sizeKb = async (name: string, contents: string) =>
    (await stat(await built.build(name, contents, []))).size / 1024;
  return {
    records,
    zod3Us: median(samples.zod3.slice(5)),
    zod4Us: median(samples.zod4.slice(5)),
    compiledUs: median(samples.compiled.slice(5)),
    zod3Kb: await sizeKb(
      'validation-zod3',
      "import { orderSchema } from './shared/domain/order-schema.ts'; console.log(orderSchema.safeParse({}));",
    ),
    zod4Kb: await sizeKb(
      'validation-zod4',
      "import { orderSchemaZod4 } from './test/bench/order-schema-zod4.ts'; console.log(orderSchemaZod4.safeParse({}));",
    ),
  };
};
