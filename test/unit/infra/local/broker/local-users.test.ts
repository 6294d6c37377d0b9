import { describe, expect, it } from 'vitest';
import { KafkaUser } from '../../../../../infra/local/broker/kafka-acls.js';
import { localScramUsers, scramFormatArgs } from '../../../../../infra/local/broker/local-users.js';

describe('local SCRAM users', () => {
  it('formats the storage with every contract user', () => {
    // Act
    const args = scramFormatArgs();

    // Assess
    const names = args.filter((arg) => arg !== '--add-scram').map((arg) => /name=([^,]+),/.exec(arg)?.[1]);
    expect(names.sort()).toEqual(Object.values(KafkaUser).sort());
  });

  it('keeps passwords that a SCRAM credential spec can carry unquoted', () => {
    // Act
    const users = Object.values(localScramUsers());

    // Assess
    for (const user of users) expect(user.password).toMatch(/^[A-Za-z0-9-]+$/);
    expect(new Set(users.map((user) => user.password)).size).toBe(users.length);
  });
});
