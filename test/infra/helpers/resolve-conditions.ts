/**
 * Resolves a CloudFormation template for one set of parameter values, the way CloudFormation would at
 * deploy time: conditions are evaluated, resources whose `Condition` is false are dropped, every
 * `Fn::If` is replaced by its chosen branch (`AWS::NoValue` removes the property or list item) and a
 * `Ref` to a template parameter becomes its value (a string, as CloudFormation passes Number parameters).
 * Only the condition functions this service uses are supported; anything else throws.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const NO_VALUE = Symbol('AWS::NoValue');

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const resolveConditions = (
  template: Record<string, unknown>,
  parameterValues: Record<string, string> = {},
): Record<string, unknown> => {
  const parameters = (template.Parameters ?? {}) as Record<string, { Default?: unknown }>;
  const conditions = (template.Conditions ?? {}) as JsonObject;
  const cache = new Map<string, boolean>();

  const parameter = (name: string): string => {
    const value = parameterValues[name] ?? parameters[name]?.Default;
    if (value === undefined) throw new Error(`Parameter ${name} has no value`);
    return String(value);
  };

  const scalar = (node: Json): string => {
    if (isObject(node) && typeof node.Ref === 'string') return parameter(node.Ref);
    if (typeof node === 'string' || typeof node === 'number') return String(node);
    throw new Error(`Unsupported value in a condition: ${JSON.stringify(node)}`);
  };

  const evaluate = (node: Json): boolean => {
    if (!isObject(node)) throw new Error(`Unsupported condition: ${JSON.stringify(node)}`);
    const [fn, args] = Object.entries(node)[0] ?? [];
    if (fn === 'Condition' && typeof args === 'string') return condition(args);
    if (fn === 'Fn::Not' && Array.isArray(args)) return !evaluate(args[0] ?? null);
    if (fn === 'Fn::And' && Array.isArray(args)) return args.every(evaluate);
    if (fn === 'Fn::Or' && Array.isArray(args)) return args.some(evaluate);
    if (fn === 'Fn::Equals' && Array.isArray(args))
      return scalar(args[0] ?? null) === scalar(args[1] ?? null);
    throw new Error(`Unsupported condition function ${String(fn)}`);
  };

  const condition = (name: string): boolean => {
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const definition = conditions[name];
    if (definition === undefined) throw new Error(`Condition ${name} is not defined`);
    const result = evaluate(definition);
    cache.set(name, result);
    return result;
  };

  const resolve = (node: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(node)) {
      return node.map(resolve).filter((item): item is Json => item !== NO_VALUE);
    }
    if (!isObject(node)) return node;
    if (node.Ref === 'AWS::NoValue') return NO_VALUE;
    if (typeof node.Ref === 'string' && Object.hasOwn(parameters, node.Ref)) return parameter(node.Ref);
    const ifArgs = node['Fn::If'];
    if (Array.isArray(ifArgs) && typeof ifArgs[0] === 'string') {
      return resolve((condition(ifArgs[0]) ? ifArgs[1] : ifArgs[2]) ?? null);
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const resolved = resolve(value);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  };

  const resources = Object.fromEntries(
    Object.entries((template.Resources ?? {}) as JsonObject).filter(([, resource]) => {
      const name = isObject(resource) ? resource.Condition : undefined;
      return typeof name !== 'string' || condition(name);
    }),
  );
  return resolve({ ...(template as JsonObject), Resources: resources }) as Record<string, unknown>;
};
