/** One bench record: the order id as key, the order JSON as value. */
export interface BenchOrder {
  readonly key: Buffer;
  readonly value: Buffer;
}

/** Every tenth order fails once, transiently, and succeeds on its retry. */
export const transientShare = 0.1;

/**
 * An order shaped like the demo's (currency, customer, items, timestamp), so the message size is a
 * realistic one. `failing` orders carry `simulate.transientFailures: 1`.
 */
export const benchOrder = (orderId: string, index: number, failing: boolean): BenchOrder => {
  const order = {
    orderId,
    amount: ((index * 7919) % 100_000) / 100,
    currency: 'EUR',
    customerId: `customer-${index % 1000}`,
    items: [
      { sku: `sku-${index % 97}`, quantity: 1 + (index % 3) },
      { sku: `sku-${(index + 31) % 97}`, quantity: 1 },
    ],
    createdAt: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
    ...(failing ? { simulate: { transientFailures: 1 } } : {}),
  };
  return { key: Buffer.from(orderId), value: Buffer.from(JSON.stringify(order)) };
};

/** `count` orders with ids `<prefix>-<index>`; every 1/transientShare-th one fails once. */
export const benchOrders = (prefix: string, count: number, withFailures = true): BenchOrder[] => {
  const every = Math.round(1 / transientShare);
  return Array.from({ length: count }, (_, index) =>
    benchOrder(`${prefix}-${index}`, index, withFailures && index % every === 0),
  );
};

export const averageValueBytes = (orders: readonly BenchOrder[]): number =>
  orders.length === 0
    ? 0
    : Math.round(orders.reduce((sum, order) => sum + order.value.length, 0) / orders.length);
