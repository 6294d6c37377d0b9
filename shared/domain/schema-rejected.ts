/**
 * What a compiled schema returns for a value it does not accept. Its own module, free of zod, because
 * the generated order validator imports it and the consumers load that validator without zod.
 */
export const rejected: unique symbol = Symbol('rejected');
export type Rejected = typeof rejected;
