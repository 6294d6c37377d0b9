import { datetimeRegex, type ZodTypeAny } from 'zod';
import { rejected } from './schema-rejected.js';

/**
 * Compiles a zod 3 schema into a plain function that accepts exactly what the schema accepts and
 * returns the same output (unknown keys stripped, defaults applied), or `rejected` for anything else.
 * It is the fast path of validation: zod itself then runs only on a rejection, to say why, so the
 * schema stays the one source of truth and the messages stay zod's. Measured on the bench orders
 * (`validation_us_per_record`), zod's `safeParse` was most of a record's cost, and this a fraction of it.
 *
 * The schema becomes the source of one function (as Ajv does), not a tree of closures: each check is
 * inlined code instead of a call through a closure per field, which V8 cannot inline at a call site
 * shared by every field. The source is built from the schema alone, never from input, and holds only
 * literals: keys as JSON strings, regexes as regex literals, defaults as JSON. So it can be written to a
 * module at build time (`infra/local/order-validator.ts` generates the order validator that way, and the
 * consumers validate without loading zod at all) or evaluated here (`compileSchema`).
 *
 * A rejection here is never final: the caller asks zod. Only acceptance must be exact, so anything
 * this does not understand compiles to "reject" (zod decides) rather than to a guess, and a schema it
 * cannot compile at all gives `undefined`.
 */
export { rejected } from './schema-rejected.js';
export type Compiled = (input: unknown) => unknown;

// The shape of zod 3's internal `_def`, only as far as read here.
interface Def {
  readonly typeName: string;
  readonly checks?: readonly Check[];
  readonly coerce?: boolean;
  readonly shape?: () => Record<string, ZodTypeAny>;
  readonly unknownKeys?: string;
  readonly catchall?: ZodTypeAny;
  readonly type?: ZodTypeAny;
  readonly innerType?: ZodTypeAny;
  readonly defaultValue?: () => unknown;
  readonly minLength?: { readonly value: number } | null;
  readonly maxLength?: { readonly value: number } | null;
  readonly exactLength?: { readonly value: number } | null;
}

interface Check {
  readonly kind: string;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly regex?: RegExp;
  readonly precision?: number | null;
  readonly offset?: boolean;
  readonly local?: boolean;
}

const defOf = (schema: ZodTypeAny): Def => schema._def as Def;

/** The function being written: its statements, the constants it shares across calls, fresh names. */
class Source {
  readonly lines: string[] = [];
  readonly declarations: string[] = [];
  private names = 0;

  /** `typed`: the source is TypeScript (a generated module), so locals carry types. */
  constructor(readonly typed: boolean) {}

  name(): string {
    this.names += 1;
    return `v${this.names}`;
  }

  /** A module-level constant holding `literal` (source text), created once rather than per call. */
  constant(literal: string): string {
    const name = `c${this.declarations.length}`;
    this.declarations.push(`const ${name} = ${literal};`);
    return name;
  }

  /** `let` or `const` with a type annotation when the source is TypeScript. */
  declare(keyword: 'let' | 'const', name: string, type: string, value?: string): void {
    const annotation = this.typed ? `: ${type}` : '';
    this.lines.push(`${keyword} ${name}${annotation}${value === undefined ? '' : ` = ${value}`};`);
  }

  rejectUnless(condition: string): void {
    this.lines.push(`if (!(${condition})) return r;`);
  }
}

/** A finite number as source; the checks' bounds come from the schema, so they are always finite. */
const literal = (value: number | undefined): string | undefined =>
  value !== undefined && Number.isFinite(value) ? String(value) : undefined;

const stringCheck = (source: Source, check: Check, text: string): string | undefined => {
  const bound = literal(check.value);
  switch (check.kind) {
    case 'min':
      return bound && `${text}.length >= ${bound}`;
    case 'max':
      return bound && `${text}.length <= ${bound}`;
    case 'length':
      return bound && `${text}.length === ${bound}`;
    case 'regex': {
      if (check.regex === undefined) return undefined;
      // Zod resets lastIndex before each test, so a global or sticky regex behaves the same here.
      const regex = source.constant(String(check.regex));
      return `(${regex}.lastIndex = 0, ${regex}.test(${text}))`;
    }
    case 'datetime': {
      // The very regex zod builds for this check, so both agree on every string.
      const regex = datetimeRegex({
        precision: check.precision ?? null,
        offset: check.offset ?? false,
        local: check.local ?? false,
      });
      return `${source.constant(String(regex))}.test(${text})`;
    }
    default:
      return undefined;
  }
};

const numberCheck = (check: Check, n: string): string | undefined => {
  const bound = literal(check.value);
  switch (check.kind) {
    case 'int':
      return `Number.isInteger(${n})`;
    case 'finite':
      return `Number.isFinite(${n})`;
    case 'min':
      return bound && `${n} ${check.inclusive ? '>=' : '>'} ${bound}`;
    case 'max':
      return bound && `${n} ${check.inclusive ? '<=' : '<'} ${bound}`;
    default:
      return undefined;
  }
};

const emitChecks = (source: Source, def: Def, toCondition: (check: Check) => string | undefined): boolean => {
  for (const check of def.checks ?? []) {
    const condition = toCondition(check);
    if (condition === undefined) return false;
    source.rejectUnless(condition);
  }
  return true;
};

/**
 * Plain objects only: zod 3 parses arrays, null, promises, maps, sets and dates as other types. A
 * prototype other than Object's (or none) is left to zod; JSON never makes one.
 */
const plainObject = (input: string): string =>
  `typeof ${input} === 'object' && ${input} !== null && ` +
  `(Object.getPrototypeOf(${input}) === Object.prototype || Object.getPrototypeOf(${input}) === null) && ` +
  `typeof ${input}.then !== 'function'`;

const emitObject = (source: Source, def: Def, input: string): string | undefined => {
  if (def.unknownKeys !== 'strip' && def.unknownKeys !== 'strict') return undefined;
  if (def.catchall !== undefined && defOf(def.catchall).typeName !== 'ZodNever') return undefined;
  const shape = Object.entries(def.shape?.() ?? {});
  // Set as a key of the output literal, `__proto__` would set its prototype instead.
  if (shape.some(([key]) => key === '__proto__')) return undefined;
  source.rejectUnless(plainObject(input));
  if (def.unknownKeys === 'strict') {
    const known = source.constant(`new Set(${JSON.stringify(shape.map(([key]) => key))})`);
    source.lines.push(`for (const k in ${input}) if (!${known}.has(k)) return r;`);
  }
  const output = source.name();
  source.declare('const', output, 'Record<string, unknown>', '{}');
  for (const [key, child] of shape) {
    const name = JSON.stringify(key);
    const value = source.name();
    source.lines.push(`const ${value} = ${input}[${name}];`);
    const parsed = emit(source, child, value);
    if (parsed === undefined) return undefined;
    // Output keys in shape order; a key is set when present in the input or given a value, as zod does.
    source.lines.push(`if (${parsed} !== undefined || ${name} in ${input}) ${output}[${name}] = ${parsed};`);
  }
  return output;
};

const emitArray = (source: Source, def: Def, input: string): string | undefined => {
  if (def.type === undefined) return undefined;
  source.rejectUnless(`Array.isArray(${input})`);
  const { minLength, maxLength, exactLength } = def;
  if (minLength) source.rejectUnless(`${input}.length >= ${literal(minLength.value)}`);
  if (maxLength) source.rejectUnless(`${input}.length <= ${literal(maxLength.value)}`);
  if (exactLength) source.rejectUnless(`${input}.length === ${literal(exactLength.value)}`);
  const output = source.name();
  const index = source.name();
  const element = source.name();
  source.declare('const', output, 'unknown[]', `new Array(${input}.length)`);
  source.lines.push(`for (let ${index} = 0; ${index} < ${input}.length; ${index} += 1) {`);
  source.lines.push(`const ${element} = ${input}[${index}];`);
  const parsed = emit(source, def.type, element);
  if (parsed === undefined) return undefined;
  source.lines.push(`${output}[${index}] = ${parsed};`, '}');
  return output;
};

/** Writes the statements that validate `input` (a variable); returns the variable holding the output. */
const emit = (source: Source, schema: ZodTypeAny, input: string): string | undefined => {
  const def = defOf(schema);
  switch (def.typeName) {
    case 'ZodString':
      if (def.coerce) return undefined;
      source.rejectUnless(`typeof ${input} === 'string'`);
      return emitChecks(source, def, (check) => stringCheck(source, check, input)) ? input : undefined;
    case 'ZodNumber':
      if (def.coerce) return undefined;
      source.rejectUnless(`typeof ${input} === 'number' && ${input} === ${input}`);
      return emitChecks(source, def, (check) => numberCheck(check, input)) ? input : undefined;
    case 'ZodBoolean':
      if (def.coerce) return undefined;
      source.rejectUnless(`typeof ${input} === 'boolean'`);
      return input;
    case 'ZodOptional':
    case 'ZodDefault': {
      if (def.innerType === undefined) return undefined;
      const output = source.name();
      source.declare('let', output, 'unknown');
      if (def.typeName === 'ZodOptional') source.lines.push(`if (${input} !== undefined) {`);
      else {
        const fallback = defaultLiteral(def);
        if (fallback === undefined) return undefined;
        const given = source.name();
        source.lines.push('{', `const ${given} = ${input} === undefined ? ${fallback} : ${input};`);
        input = given;
      }
      const parsed = emit(source, def.innerType, input);
      if (parsed === undefined) return undefined;
      source.lines.push(`${output} = ${parsed};`, '}');
      return output;
    }
    case 'ZodArray':
      return emitArray(source, def, input);
    case 'ZodObject':
      return emitObject(source, def, input);
    default:
      return undefined;
  }
};

/**
 * A default as source: only JSON primitives, which zod hands out equal on every parse. An object default
 * would have to be a fresh copy each time, so such a schema is left to zod.
 */
const defaultLiteral = (def: Def): string | undefined => {
  const value = def.defaultValue?.();
  const primitive =
    typeof value === 'string' || typeof value === 'boolean' || value === null || Number.isFinite(value);
  return primitive ? JSON.stringify(value) : undefined;
};

/**
 * The schema as statements over `input` that `return r` on a rejection, the module-level declarations
 * they use, and the variable holding the output; `typed` adds TypeScript annotations. `undefined` for a
 * schema that cannot be compiled.
 */
export const compileSource = (schema: ZodTypeAny, typed: boolean) => {
  const source = new Source(typed);
  const output = emit(source, schema, 'input');
  if (output === undefined) return undefined;
  return { declarations: source.declarations, lines: source.lines, output };
};

/** The schema as a function, evaluated now; `undefined` where it cannot be compiled or evaluated. */
export const compileSchema = (schema: ZodTypeAny): Compiled | undefined => {
  const compiled = compileSource(schema, false);
  if (compiled === undefined) return undefined;
  const body = [
    ...compiled.declarations,
    'return (input) => {',
    ...compiled.lines,
    `return ${compiled.output};`,
    '};',
  ].join('\n');
  try {
    return new Function('r', body)(rejected) as Compiled;
  } catch {
    // A runtime that forbids code generation (a CSP, --disallow-code-generation-from-strings).
    return undefined;
  }
};
