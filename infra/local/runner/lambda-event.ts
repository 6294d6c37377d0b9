import type { IHeaders, KafkaMessage } from 'kafkajs';
import type {
  LambdaKafkaEvent,
  LambdaKafkaHeader,
  LambdaKafkaRecord,
} from '../../../shared/domain/kafka-event.js';

const headerBytes = (value: Buffer | string): number[] => [
  ...(typeof value === 'string' ? Buffer.from(value) : value),
];

/** kafkajs headers → the AWS list of single-key objects, a repeated header once per value. */
export const toLambdaHeaders = (headers: IHeaders | undefined): LambdaKafkaHeader[] => {
  const list: LambdaKafkaHeader[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) list.push({ [name]: headerBytes(item) });
  }
  return list;
};

/** One record in the exact shape AWS uses; a null key or value is left out, as AWS does. */
export const toLambdaRecord = (
  topic: string,
  partition: number,
  message: KafkaMessage,
): LambdaKafkaRecord => ({
  topic,
  partition,
  offset: Number(message.offset),
  timestamp: Number(message.timestamp),
  timestampType: 'CREATE_TIME',
  ...(message.key === null ? {} : { key: message.key.toString('base64') }),
  ...(message.value === null ? {} : { value: message.value.toString('base64') }),
  headers: toLambdaHeaders(message.headers),
});

/** The `SelfManagedKafka` event a self-managed Kafka event source mapping would send for these messages. */
export const buildSelfManagedKafkaEvent = (
  bootstrapServers: string,
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
): LambdaKafkaEvent => ({
  eventSource: 'SelfManagedKafka',
  bootstrapServers,
  records: {
    [`${topic}-${partition}`]: messages.map((message) => toLambdaRecord(topic, partition, message)),
  },
});
