/**
 * The Kafka users and ACLs of the system, as plain data. The local broker applies them at start, and
 * `infra/kafka-acls.json` (rendered from this module, checked by a unit test) carries the same list to the
 * AWS side. Every binding is an ALLOW for any host; anything not listed is denied, because the broker runs
 * with `allow.everyone.if.no.acl.found=false`.
 * Operation semantics: https://kafka.apache.org/documentation/#operations_resources_and_protocols
 */

import { ConsumerGroups } from '../../../shared/contract/topics.js';

/** The SCRAM-SHA-512 users. `orders-admin` is the only super user, so it has no ACLs of its own. */
export const KafkaUser = {
  esm: 'orders-esm',
  producer: 'orders-producer',
  ui: 'orders-ui',
  admin: 'orders-admin',
} as const;
export type KafkaUser = (typeof KafkaUser)[keyof typeof KafkaUser];

export const AclResourceType = {
  topic: 'TOPIC',
  group: 'GROUP',
  cluster: 'CLUSTER',
  transactionalId: 'TRANSACTIONAL_ID',
} as const;
export type AclResourceType = (typeof AclResourceType)[keyof typeof AclResourceType];

export const AclPatternType = { literal: 'LITERAL', prefixed: 'PREFIXED' } as const;
export type AclPatternType = (typeof AclPatternType)[keyof typeof AclPatternType];

export const AclOperation = {
  read: 'READ',
  write: 'WRITE',
  describe: 'DESCRIBE',
  describeConfigs: 'DESCRIBE_CONFIGS',
  idempotentWrite: 'IDEMPOTENT_WRITE',
} as const;
export type AclOperation = (typeof AclOperation)[keyof typeof AclOperation];

/** One ALLOW binding: this user may do this operation on this resource (or on every name with this prefix). */
export interface AclBinding {
  readonly user: KafkaUser;
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
  readonly patternType: AclPatternType;
  readonly operation: AclOperation;
}

/** The names the ACLs are written for. The contract's names are the default; tests bind their own world. */
export interface AclNames {
  readonly topics: {
    readonly orders: string;
    readonly retry: string;
    readonly dlq: string;
    readonly redrives: string;
  };
  readonly consumerGroups: { readonly main: string; readonly retry: string };
  /** The operator's reads use throwaway groups with this prefix; they never commit. */
  readonly uiGroupPrefix: string;
  /** Redrive transactions (ledger entry + re-published record) use transactional ids with this prefix. */
  readonly redriveTransactionPrefix: string;
}

export const CONTRACT_ACL_NAMES = {
  topics: {
    orders: 'orders.v1',
    retry: 'orders.retry',
    dlq: 'orders.dlq',
    redrives: 'orders.dlq.redrives',
  },
  consumerGroups: ConsumerGroups,
  uiGroupPrefix: 'orders-ui-',
  redriveTransactionPrefix: 'orders-redrive-',
} as const satisfies AclNames;

/** The Kafka principal of a SCRAM user, as ACLs and `super.users` name it. */
export const principalOf = (user: string): `User:${string}` => `User:${user}`;

const grant =
  (user: KafkaUser) =>
  (
    resourceType: AclResourceType,
    resourceName: string,
    operations: readonly AclOperation[],
    patternType: AclPatternType = AclPatternType.literal,
  ): AclBinding[] =>
    operations.map((operation) => ({ user, resourceType, resourceName, patternType, operation }));

const { read, write, describe, describeConfigs, idempotentWrite } = AclOperation;
const { topic, group, cluster, transactionalId } = AclResourceType;

/**
 * Every ALLOW binding for the given names. DESCRIBE is listed beside READ and WRITE although Kafka implies
 * it, so the list reads as the full set of what a user can do.
 */
export const kafkaAcls = (names: AclNames = CONTRACT_ACL_NAMES): readonly AclBinding[] => {
  const { orders, retry, dlq, redrives } = names.topics;
  const esm = grant(KafkaUser.esm);
  const producer = grant(KafkaUser.producer);
  const ui = grant(KafkaUser.ui);
  return [
    // The event source mappings poll the two input topics and commit offsets in their own groups.
    ...esm(topic, orders, [read, describe]),
    ...esm(topic, retry, [read, describe]),
    ...esm(group, names.consumerGroups.main, [read, describe]),
    ...esm(group, names.consumerGroups.retry, [read, describe]),
    // Lambda's Kafka poller reads the cluster's dynamic configuration (AWS lists it as
    // kafka-cluster:DescribeClusterDynamicConfiguration for an event source mapping).
    ...esm(cluster, 'kafka-cluster', [describeConfigs]),
    // The consumers re-publish only. Their producer is idempotent: WRITE on a topic implies cluster
    // IDEMPOTENT_WRITE since Kafka 3.0 (KIP-679); it is granted anyway, as the EC2 setup script does, so the
    // same list holds on any broker version.
    ...producer(topic, retry, [write, describe]),
    ...producer(topic, dlq, [write, describe]),
    ...producer(cluster, 'kafka-cluster', [idempotentWrite]),
    // The operator: reads all four topics, produces new orders, redrives to orders.v1 or orders.retry and
    // writes the ledger. It never writes orders.dlq: only the consumers dead-letter.
    ...ui(topic, orders, [read, write, describe]),
    ...ui(topic, retry, [read, write, describe]),
    ...ui(topic, dlq, [read, describe]),
    ...ui(topic, redrives, [read, write, describe]),
    ...ui(group, names.uiGroupPrefix, [read, describe], AclPatternType.prefixed),
    // Lag of the two consumer groups: their committed offsets (OffsetFetch needs DESCRIBE on the group).
    ...ui(group, names.consumerGroups.main, [describe]),
    ...ui(group, names.consumerGroups.retry, [describe]),
    ...ui(transactionalId, names.redriveTransactionPrefix, [write, describe], AclPatternType.prefixed),
    ...ui(cluster, 'kafka-cluster', [idempotentWrite]),
  ];
};

/** The users whose bindings `kafkaAcls` lists, i.e. every user except the super user. */
export const ACL_USERS = [KafkaUser.esm, KafkaUser.producer, KafkaUser.ui] as const;

/**
 * The `kafka-acls.sh` arguments that add one binding, for a broker host's boot script. The admin
 * connection settings (`--bootstrap-server`, `--command-config`) are the caller's.
 */
export const kafkaAclsCliArgs = (binding: AclBinding): string[] => {
  const resource = {
    [topic]: ['--topic', binding.resourceName],
    [group]: ['--group', binding.resourceName],
    [cluster]: ['--cluster'],
    [transactionalId]: ['--transactional-id', binding.resourceName],
  }[binding.resourceType];
  return [
    '--add',
    '--allow-principal',
    principalOf(binding.user),
    '--operation',
    // kafka-acls.sh spells operations in CamelCase: Read, Write, Describe, DescribeConfigs.
    binding.operation
      .toLowerCase()
      .split('_')
      .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
      .join(''),
    ...resource,
    '--resource-pattern-type',
    binding.patternType.toLowerCase(),
  ];
};

/**
 * `infra/kafka-acls.json`: the contract's users and bindings for Terraform (`jsondecode(file(...))`), each
 * binding with its `kafka-acls.sh` arguments ready for a boot script.
 */
export const renderAclsJson = (): string =>
  `${JSON.stringify(
    {
      comment:
        'Rendered from infra/local/broker/kafka-acls.ts by `npx tsx infra/local/broker/write-acls-json.ts`.',
      superUsers: [principalOf(KafkaUser.admin)],
      users: Object.values(KafkaUser),
      bindings: kafkaAcls().map((binding) => ({
        ...binding,
        principal: principalOf(binding.user),
        permission: 'ALLOW',
        host: '*',
        kafkaAclsArgs: kafkaAclsCliArgs(binding),
      })),
    },
    null,
    2,
  )}\n`;
