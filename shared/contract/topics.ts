/**
 * Topic roles. Clients name a role, never a topic, so nothing outside the pattern is reachable.
 * `redrives` is the compacted redrive ledger beside the three.
 */
export const TopicRole = { orders: 'orders', retry: 'retry', dlq: 'dlq' } as const;
export type TopicRole = (typeof TopicRole)[keyof typeof TopicRole];
export const topicRoles: readonly TopicRole[] = Object.values(TopicRole);

export const isTopicRole = (value: string): value is TopicRole => (topicRoles as string[]).includes(value);

/** The default topic names of the contract. Deployments may rename them through configuration. */
export const DefaultTopicNames = {
  orders: 'orders.v1',
  retry: 'orders.retry',
  dlq: 'orders.dlq',
  redrives: 'orders.dlq.redrives',
} as const;

/** The consumer groups the UI shows lag for: the `consumerGroupId`s of serverless.yml. */
export const ConsumerGroups = {
  main: 'orders-main-consumer',
  retry: 'orders-retry-consumer',
} as const;

/** Reads by operators use consumer groups with this prefix, and never commit offsets. */
export const OperatorGroupPrefix = 'orders-ui-';

/** Redrive transactions use transactional ids with this prefix (the ACLs grant exactly that prefix). */
export const RedriveTransactionalIdPrefix = 'orders-redrive-';
