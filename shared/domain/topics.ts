/** The three topic roles of the pattern; the names themselves come from configuration. */
export interface Topics {
  readonly orders: string;
  readonly retry: string;
  readonly dlq: string;
}

export const defaultTopics = {
  orders: 'orders.v1',
  retry: 'orders.retry',
  dlq: 'orders.dlq',
} as const satisfies Topics;
