import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LambdaKafkaEvent } from '../../../shared/domain/kafka-event.js';

export const EventFixture = {
  selfManagedKafka: 'self-managed-kafka',
  msk: 'msk',
  nullValue: 'self-managed-kafka-null-value',
  nonJsonValue: 'self-managed-kafka-non-json-value',
} as const;
export type EventFixture = (typeof EventFixture)[keyof typeof EventFixture];

const eventsDir = path.resolve(import.meta.dirname, '../../events');
const cache = new Map<EventFixture, LambdaKafkaEvent>();

/** A fresh copy of a `test/events` fixture, so a test may mutate it without leaking into the next. */
export const loadEvent = (name: EventFixture): LambdaKafkaEvent => {
  let event = cache.get(name);
  if (event === undefined) {
    event = JSON.parse(readFileSync(path.join(eventsDir, `${name}.json`), 'utf8')) as LambdaKafkaEvent;
    cache.set(name, event);
  }
  return structuredClone(event);
};
