import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createAclBindings, deleteAclBindings } from '../../../infra/local/broker/apply-acls.js';
import {
  type AclBinding,
  type AclNames,
  CONTRACT_ACL_NAMES,
  kafkaAcls,
} from '../../../infra/local/broker/kafka-acls.js';

export interface AclWorld {
  readonly names: AclNames;
  /** The bindings this world added: the contract's rules over its own names, minus what the contract holds. */
  readonly bindings: readonly AclBinding[];
  remove(): Promise<void>;
}

const key = (binding: AclBinding): string => JSON.stringify(binding);

/** The names a per-test world uses in place of the contract's; the two prefixes stay the contract's own. */
export const aclWorldNames = (topics: AclNames['topics'], groupSuffix: string): AclNames => ({
  ...CONTRACT_ACL_NAMES,
  topics,
  consumerGroups: {
    main: `${CONTRACT_ACL_NAMES.consumerGroups.main}-${groupSuffix}`,
    retry: `${CONTRACT_ACL_NAMES.consumerGroups.retry}-${groupSuffix}`,
  },
});

/**
 * Grants the contract's ACLs over a test's own topics and groups (through `admin`, a super user), so a test
 * exercises the real rules without touching the shared `orders.*` topics. Bindings the contract already
 * holds (the prefixed group and transactional id, the cluster) are left out, so removing the world never
 * removes them.
 */
export const grantAclWorld = async (admin: Kafka, names: AclNames): Promise<AclWorld> => {
  const contract = new Set(kafkaAcls().map(key));
  const bindings = kafkaAcls(names).filter((binding) => !contract.has(key(binding)));
  const client = admin.admin();
  await client.connect();
  try {
    await createAclBindings(client, bindings);
  } finally {
    await client.disconnect();
  }
  return {
    names,
    bindings,
    remove: async () => {
      const cleanup = admin.admin();
      await cleanup.connect();
      try {
        await deleteAclBindings(cleanup, bindings);
      } finally {
        await cleanup.disconnect();
      }
    },
  };
};

/** Fresh world topic names: `<prefix>-<id>.v1`, `.retry`, `.dlq`, `.dlq.redrives`. */
export const aclWorldTopics = (prefix: string, id = randomUUID().slice(0, 8)): AclNames['topics'] => ({
  orders: `${prefix}-${id}.v1`,
  retry: `${prefix}-${id}.retry`,
  dlq: `${prefix}-${id}.dlq`,
  redrives: `${prefix}-${id}.dlq.redrives`,
});
