import { KafkaUser } from './kafka-acls.js';

/**
 * Local-only SCRAM passwords of the four users. They protect a broker bound to 127.0.0.1 on a laptop or CI
 * runner and are never used on AWS, where each user's password is generated into Secrets Manager.
 * Alphanumeric and dashes only: they are embedded in a `[name=..,password=..]` SCRAM credential spec.
 */
export const LOCAL_SCRAM_PASSWORDS = {
  [KafkaUser.esm]: 'local-esm-secret-not-for-aws',
  [KafkaUser.producer]: 'local-producer-secret-not-for-aws',
  [KafkaUser.ui]: 'local-ui-secret-not-for-aws',
  [KafkaUser.admin]: 'local-admin-secret-not-for-aws',
} as const satisfies Record<KafkaUser, string>;

/** The single user earlier versions created; a data directory formatted by them still has it. */
export const LEGACY_LOCAL_USER = 'local-dev';

/** `--add-scram` values for `kafka-storage format`: every user, written into the bootstrap metadata. */
export const scramFormatArgs = (): string[] =>
  Object.entries(LOCAL_SCRAM_PASSWORDS).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);

/** Each user's local credentials, keyed by user. */
export const localScramUsers = (): Record<KafkaUser, { username: KafkaUser; password: string }> => {
  const entry = (user: KafkaUser) => ({ username: user, password: LOCAL_SCRAM_PASSWORDS[user] });
  return {
    [KafkaUser.esm]: entry(KafkaUser.esm),
    [KafkaUser.producer]: entry(KafkaUser.producer),
    [KafkaUser.ui]: entry(KafkaUser.ui),
    [KafkaUser.admin]: entry(KafkaUser.admin),
  };
};
