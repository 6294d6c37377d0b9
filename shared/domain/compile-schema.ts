import { datetimeRegex, type ZodTypeAny } from 'zod';

/**
 * Compiles a zod 3 schema into a plain function that accepts exactly what the schema accepts and
 * returns the same output (unknown keys stripped, defaults applied), or `rejected` for anything else.
 * It is the fast path of validation: zod itself then runs only on a rejection, to say why, so the
 * schema stays the one source of truth and the messages stay zod's. Measured on the bench orders,
 * zod's `safeParse` was most of a record's cost, and this a fraction of it (README "Hot path").
 *
 * A rejection here is never final: the caller asks zod. Only acceptance must be exact, so anything
 * this does not understand compiles to "reject" (zod decides) rather than to a guess. `compileSchema`
 * returns `undefined` for a schema it cannot compile at all.
 */
export const rejected: unique symbol = Symbol('rejected');
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

/** Plain objects only: zod 3 parses arrays, null, promises, maps, sets and dates as other types. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  !(value instanceof Map) &&
  !(value instanceof Set) &&
  typeof (value as { then?: unknown }).then !== 'function';

type Test = (value: never) => boolean;

const stringTest = (check: Check): Test | undefined => {
  const { value = 0 } = check;
  switch (check.kind) {
    case 'min':
      return (text: string) => text.length >= value;
    case 'max':
      return (text: string) => text.length <= value;
    case 'length':
      return (text: string) => text.length === value;
    case 'regex': {
      const { regex } = check;
      if (regex === undefined) return undefined;
      // Zod resets lastIndex before each test, so a global or sticky regex behaves the same here.
      return (text: string) => {
        regex.lastIndex = 0;
        return regex.test(text);
      };
    }
    case 'datetime': {
      // The very regex zod builds for this check, so both agree on every string.
      const regex = datetimeRegex({
        precision: check.precision ?? null,
        offset: check.offset ?? false,
        local: check.local ?? false,
      });
      return (text: string) => regex.test(text);
    }
    default:
      return undefined;
  }
};

const numberTest = (check: Check): Test | undefined => {
  const { value = 0 } = check;
  switch (check.kind) {
    case 'int':
      return (n: number) => Number.isInteger(n);
    case 'finite':
      return (n: number) => Number.isFinite(n);
    case 'min':
      return check.inclusive ? (n: number) => n >= value : (n: number) => n > value;
    case 'max':
      return check.inclusive ? (n: number) => n <= value : (n: number) => n < value;
    default:
      return undefined;
  }
};

const allOf = (tests: readonly Test[]): ((value: never) => boolean) | undefined => {
  if (tests.length === 0) return () => true;
  return (value) => {
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
};

const compileChecks = (def: Def, toTest: (check: Check) => Test | undefined) => {
  const tests: Test[] = [];
  for (const check of def.checks ?? []) {
    const test = toTest(check);
    if (test === undefined) return undefined;
    tests.push(test);
  }
  return allOf(tests);
};

const compileObject = (def: Def): Compiled | undefined => {
  if (def.unknownKeys !== 'strip' && def.unknownKeys !== 'strict') return undefined;
  if (def.catchall !== undefined && defOf(def.catchall).typeName !== 'ZodNever') return undefined;
  const entries: [string, Compiled][] = [];
  for (const [key, child] of Object.entries(def.shape?.() ?? {})) {
    const compiled = compileSchema(child);
    if (compiled === undefined) return undefined;
    entries.push([key, compiled]);
  }
  // Plain arrays and indexed loops: this runs for every record.
  const keys = entries.map(([key]) => key);
  const parsers = entries.map(([, compiled]) => compiled);
  const known = new Set(keys);
  const strict = def.unknownKeys === 'strict';
  return (input) => {
    if (!isPlainObject(input)) return rejected;
    if (strict) for (const key in input) if (!known.has(key)) return rejected;
    // Output keys in shape order; a key is set when present in the input or given a value, as zod does.
    const output: Record<string, unknown> = {};
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as string;
      const value = (parsers[index] as Compiled)(input[key]);
      if (value === rejected) return rejected;
      if (value !== undefined || key in input) output[key] = value;
    }
    return output;
  };
};

/** See the module comment. */
export const compileSchema = (schema: ZodTypeAny): Compiled | undefined => {
  const def = defOf(schema);
  switch (def.typeName) {
    case 'ZodString': {
      const test = def.coerce ? undefined : compileChecks(def, stringTest);
      if (test === undefined) return undefined;
      return (input) => (typeof input === 'string' && test(input as never) ? input : rejected);
    }
    case 'ZodNumber': {
      const test = def.coerce ? undefined : compileChecks(def, numberTest);
      if (test === undefined) return undefined;
      return (input) =>
        typeof input === 'number' && !Number.isNaN(input) && test(input as never) ? input : rejected;
    }
    case 'ZodBoolean':
      return def.coerce ? undefined : (input) => (typeof input === 'boolean' ? input : rejected);
    case 'ZodOptional': {
      const inner = def.innerType && compileSchema(def.innerType);
      if (inner === undefined) return undefined;
      return (input) => (input === undefined ? undefined : inner(input));
    }
    case 'ZodDefault': {
      const inner = def.innerType && compileSchema(def.innerType);
      const { defaultValue } = def;
      if (inner === undefined || defaultValue === undefined) return undefined;
      return (input) => inner(input === undefined ? defaultValue() : input);
    }
    case 'ZodArray': {
      const element = def.type && compileSchema(def.type);
      if (element === undefined) return undefined;
      const { minLength, maxLength, exactLength } = def;
      return (input) => {
        if (!Array.isArray(input)) return rejected;
        if (minLength && input.length < minLength.value) return rejected;
        if (maxLength && input.length > maxLength.value) return rejected;
        if (exactLength && input.length !== exactLength.value) return rejected;
        const output: unknown[] = new Array(input.length);
        for (let index = 0; index < input.length; index += 1) {
          const value = element(input[index]);
          if (value === rejected) return rejected;
          output[index] = value;
        }
        return output;
      };
    }
    case 'ZodObject':
      return compileObject(def);
    default:
      return undefined;
  }
};
