import kafkajs, { type AclEntry, type Admin, Kafka, logLevel } from 'kafkajs';
import {
  type AclBinding,
  AclOperation,
  AclPatternType,
  AclResourceType,
  type KafkaUser,
  kafkaAcls,
  principalOf,
} from './kafka-acls.js';

// kafkajs assigns its enums in a way Node's CommonJS export detection misses, so they come off the default.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const toKafkajs = (binding: AclBinding): AclEntry => ({
  principal: principalOf(binding.user),
  host: '*',
  operation: AclOperationTypes[binding.operation],
  permissionType: AclPermissionTypes.ALLOW,
  resourceType: AclResourceTypes[binding.resourceType],
  resourceName: binding.resourceName,
  resourcePatternType: ResourcePatternTypes[binding.patternType],
});

// Reverse lookups from the kafkajs codes to our names; a code outside our vocabulary stays visible as a number.
const nameOf = <T extends string>(codes: Record<string, unknown>, names: Record<string, T>, code: number) => {
  const name = Object.keys(codes).find((key) => codes[key] === code);
  return (Object.values(names).find((value) => value === name) ?? `UNKNOWN(${code})`) as T;
};

/** Adds the bindings. Idempotent: Kafka ignores a binding it already holds. */
export const createAclBindings = async (admin: Admin, bindings: readonly AclBinding[]): Promise<void> => {
  if (bindings.length > 0) await admin.createAcls({ acl: bindings.map(toKafkajs) });
};

/** Removes exactly these bindings (each filter matches one binding), e.g. a test world's. */
export const deleteAclBindings = async (admin: Admin, bindings: readonly AclBinding[]): Promise<void> => {
  if (bindings.length > 0) await admin.deleteAcls({ filters: bindings.map(toKafkajs) });
};

/** Every ALLOW binding the broker holds for one user, in this module's vocabulary. */
export const describeUserAcls = async (admin: Admin, user: KafkaUser): Promise<AclBinding[]> => {
  const response = await admin.describeAcls({
    principal: principalOf(user),
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ALLOW,
  });
  return response.resources.flatMap((resource) =>
    resource.acls.map((acl) => ({
      user,
      resourceType: nameOf(AclResourceTypes, AclResourceType, resource.resourceType),
      resourceName: resource.resourceName,
      patternType: nameOf(ResourcePatternTypes, AclPatternType, resource.resourcePatternType),
      operation: nameOf(AclOperationTypes, AclOperation, acl.operation),
    })),
  );
};

/** Adds the contract's bindings through the PLAINTEXT listener, whose principal is a super user locally. */
export const ensureKafkaAcls = async (plaintextBootstrap: string): Promise<void> => {
  const admin = new Kafka({
    clientId: 'local-broker-acls',
    brokers: plaintextBootstrap.split(','),
    logLevel: logLevel.WARN,
  }).admin();
  await admin.connect();
  try {
    await createAclBindings(admin, kafkaAcls());
  } finally {
    await admin.disconnect();
  }
};
