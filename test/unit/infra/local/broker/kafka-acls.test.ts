import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AclBinding,
  CONTRACT_ACL_NAMES,
  KafkaUser,
  kafkaAcls,
  kafkaAclsCliArgs,
  renderAclsJson,
} from '../../../../../infra/local/broker/kafka-acls.js';
import { REPO_ROOT } from '../../../../../infra/local/broker/paths.js';

/** `user operation resourceType:name(pattern)` lines, sorted, for readable whole-list assertions. */
const lines = (bindings: readonly AclBinding[], user: string): string[] =>
  bindings
    .filter((binding) => binding.user === user)
    .map(
      (b) => `${b.operation} ${b.resourceType}:${b.resourceName}${b.patternType === 'PREFIXED' ? '*' : ''}`,
    )
    .sort();

describe('kafkaAcls', () => {
  it('lets the event source mappings read only the two input topics in their own groups', () => {
    // Act
    const acls = kafkaAcls();

    // Assess
    expect(lines(acls, KafkaUser.esm)).toEqual([
      'DESCRIBE GROUP:orders-main-consumer',
      'DESCRIBE GROUP:orders-retry-consumer',
      'DESCRIBE TOPIC:orders.retry',
      'DESCRIBE TOPIC:orders.v1',
      'DESCRIBE_CONFIGS CLUSTER:kafka-cluster',
      'READ GROUP:orders-main-consumer',
      'READ GROUP:orders-retry-consumer',
      'READ TOPIC:orders.retry',
      'READ TOPIC:orders.v1',
    ]);
  });

  it('lets the consumers’ producer write only the retry and DLQ topics', () => {
    // Act
    const acls = kafkaAcls();

    // Assess
    expect(lines(acls, KafkaUser.producer)).toEqual([
      'DESCRIBE TOPIC:orders.dlq',
      'DESCRIBE TOPIC:orders.retry',
      'IDEMPOTENT_WRITE CLUSTER:kafka-cluster',
      'WRITE TOPIC:orders.dlq',
      'WRITE TOPIC:orders.retry',
    ]);
  });

  it('lets the UI read the four topics and write all but the DLQ, with prefixed groups and transactions', () => {
    // Act
    const acls = kafkaAcls();

    // Assess
    expect(lines(acls, KafkaUser.ui)).toEqual([
      'DESCRIBE GROUP:orders-main-consumer',
      'DESCRIBE GROUP:orders-retry-consumer',
      'DESCRIBE GROUP:orders-ui-*',
      'DESCRIBE TOPIC:orders.dlq',
      'DESCRIBE TOPIC:orders.dlq.redrives',
      'DESCRIBE TOPIC:orders.retry',
      'DESCRIBE TOPIC:orders.v1',
      'DESCRIBE TRANSACTIONAL_ID:orders-redrive-*',
      'IDEMPOTENT_WRITE CLUSTER:kafka-cluster',
      'READ GROUP:orders-ui-*',
      'READ TOPIC:orders.dlq',
      'READ TOPIC:orders.dlq.redrives',
      'READ TOPIC:orders.retry',
      'READ TOPIC:orders.v1',
      'WRITE TOPIC:orders.dlq.redrives',
      'WRITE TOPIC:orders.retry',
      'WRITE TOPIC:orders.v1',
      'WRITE TRANSACTIONAL_ID:orders-redrive-*',
    ]);
  });

  it('gives the admin no bindings, since it is the super user', () => {
    // Act
    const acls = kafkaAcls();

    // Assess
    expect(lines(acls, KafkaUser.admin)).toEqual([]);
  });

  it('binds another world’s names in place of the contract’s', () => {
    // Prepare
    const names = {
      ...CONTRACT_ACL_NAMES,
      topics: { orders: 't.v1', retry: 't.retry', dlq: 't.dlq', redrives: 't.dlq.redrives' },
    };

    // Act
    const acls = kafkaAcls(names);

    // Assess
    const topics = new Set(acls.filter((b) => b.resourceType === 'TOPIC').map((b) => b.resourceName));
    expect([...topics].sort()).toEqual(['t.dlq', 't.dlq.redrives', 't.retry', 't.v1']);
  });

  it('has no duplicate binding', () => {
    // Act
    const keys = kafkaAcls().map((b) => JSON.stringify(b));

    // Assess
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('kafkaAclsCliArgs', () => {
  it('spells a prefixed binding the way kafka-acls.sh takes it', () => {
    // Prepare
    const binding: AclBinding = {
      user: KafkaUser.ui,
      resourceType: 'TRANSACTIONAL_ID',
      resourceName: 'orders-redrive-',
      patternType: 'PREFIXED',
      operation: 'WRITE',
    };

    // Act
    const args = kafkaAclsCliArgs(binding);

    // Assess
    expect(args).toEqual([
      '--add',
      '--allow-principal',
      'User:orders-ui',
      '--operation',
      'Write',
      '--transactional-id',
      'orders-redrive-',
      '--resource-pattern-type',
      'prefixed',
    ]);
  });

  it('names the cluster without a resource name and camel-cases DESCRIBE_CONFIGS', () => {
    // Prepare
    const binding = kafkaAcls().find((b) => b.resourceType === 'CLUSTER' && b.user === KafkaUser.esm);

    // Act
    const args = binding ? kafkaAclsCliArgs(binding) : [];

    // Assess
    expect(args).toEqual([
      '--add',
      '--allow-principal',
      'User:orders-esm',
      '--operation',
      'DescribeConfigs',
      '--cluster',
      '--resource-pattern-type',
      'literal',
    ]);
  });
});

describe('infra/kafka-acls.json', () => {
  it('matches the module, so Terraform applies the same list as the local broker', () => {
    // Prepare
    const checkedIn = readFileSync(join(REPO_ROOT, 'infra', 'kafka-acls.json'), 'utf8');

    // Act
    const rendered = renderAclsJson();

    // Assess
    // Compared as data: Biome formats the checked-in file.
    expect(JSON.parse(checkedIn), 'regenerate: npx tsx infra/local/broker/write-acls-json.ts').toEqual(
      JSON.parse(rendered),
    );
  });
});
