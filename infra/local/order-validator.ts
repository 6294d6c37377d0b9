import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ZodTypeAny } from 'zod';
import { compileSource } from '../../shared/domain/compile-schema.js';
import { orderSchema } from '../../shared/domain/order-schema.js';

/** Two spaces a block level: the statements open blocks with a line ending in `{` and close with `}`. */
const indented = (lines: readonly string[], depth: number): string[] => {
  let level = depth;
  return lines.map((line) => {
    if (line === '}') level -= 1;
    const out = `${'  '.repeat(level)}${line}`;
    if (line.endsWith('{')) level += 1;
    return out;
  });
};

/**
 * The schema as a TypeScript module exporting `exportName`, typed as returning `outputType` (imported
 * with `typeImport`, a type-only import, so the module loads no zod), or `rejected`. `header` says where
 * it comes from. Throws for a schema that cannot be compiled: a generated module must never be partial.
 */
const schemaModule = (
  schema: ZodTypeAny,
  options: { exportName: string; outputType: string; typeImport: string; header: readonly string[] },
): string => {
  const compiled = compileSource(schema, true);
  if (compiled === undefined)
    throw new Error(`${options.exportName}: the schema uses a construct the compiler does not know`);
  return [
    ...options.header.map((line) => `// ${line}`),
    options.typeImport,
    "import { type Rejected, rejected as r } from './schema-rejected.js';",
    '',
    ...compiled.declarations,
    '',
    // The input is whatever JSON.parse gave: every read of it is checked before it is trusted.
    `export const ${options.exportName} = (input: any): ${options.outputType} | Rejected => {`,
    ...indented(compiled.lines, 1),
    `  return ${compiled.output} as ${options.outputType};`,
    '};',
    '',
  ].join('\n');
};

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
