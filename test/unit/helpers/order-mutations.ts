/** Orders and their mutations: what a compiled order schema must agree with zod on. */

export const validOrders: Record<string, unknown>[] = [
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
export const mutations = (): unknown[] => {
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
