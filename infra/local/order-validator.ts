import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { schemaModule } from '../../shared/domain/compile-schema.js';
import { orderSchema } from '../../shared/domain/order-schema.js';

/** Where the generated validator lives; the consumers and `validateOrder` import it. */
export const orderValidatorFile = path.resolve(
  import.meta.dirname,
  '../../shared/domain/order-validator.generated.ts',
);

/** The generated module's text, from the order schema as it is now. */
export const orderValidatorSource = (): string =>
  schemaModule(orderSchema, {
    exportName: 'acceptOrder',
    outputType: 'Order',
    typeImport: "import type { Order } from './order-schema.js';",
    header: [
      'Generated from `orderSchema` (shared/domain/order-schema.ts) by `npm run generate:validator`; do',
      'not edit. It accepts exactly what the schema accepts (test/unit/domain/order-validator.test.ts,',
      'which also fails when this file is older than the schema), without loading zod.',
    ],
  });

/** Writes the module, or with `check`, says whether it is current; returns true when nothing changed. */
export const generateOrderValidator = async (options: { check: boolean }): Promise<boolean> => {
  const wanted = orderValidatorSource();
  const current = await readFile(orderValidatorFile, 'utf8').catch(() => '');
  if (current === wanted) return true;
  if (!options.check) await writeFile(orderValidatorFile, wanted);
  return false;
};
