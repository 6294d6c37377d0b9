import type { SearchFilter } from '../contract/operator.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { failureKeyOf, hasFingerprint, UnknownFailure } from './fingerprint.js';

// Case-insensitive, over the error message first (cheap), then the key and the value.
const containsText = (record: ConsumedRecord, message: string | undefined, text: string): boolean => {
  const needle = text.toLowerCase();
  return (
    (message?.toLowerCase().includes(needle) ?? false) ||
    (record.key?.toString('utf8').toLowerCase().includes(needle) ?? false) ||
    (record.value?.toString('utf8').toLowerCase().includes(needle) ?? false)
  );
};

/** Whether a DLQ record matches an operator's filter: every condition given must hold. */
export const matchesFilter = (record: ConsumedRecord, filter: SearchFilter): boolean => {
  if (filter.fromTime !== undefined && record.timestamp < filter.fromTime) return false;
  if (filter.toTime !== undefined && record.timestamp >= filter.toTime) return false;
  if (filter.key !== undefined && record.key?.toString('utf8') !== filter.key) return false;
  const needsState =
    filter.reason !== undefined ||
    filter.errorClass !== undefined ||
    filter.text !== undefined ||
    filter.originTopic !== undefined;
  if (needsState) {
    const failure = failureKeyOf(record);
    if (filter.reason !== undefined && (failure?.reason ?? UnknownFailure.reason) !== filter.reason)
      return false;
    if (filter.errorClass !== undefined && failure?.errorClass !== filter.errorClass) return false;
    if (filter.originTopic !== undefined && failure?.originTopic !== filter.originTopic) return false;
    if (filter.text !== undefined && !containsText(record, failure?.message, filter.text)) return false;
  }
  if (filter.fingerprint !== undefined && !hasFingerprint(record, filter.fingerprint)) return false;
  return true;
};

/** Whether a filter has no conditions at all (it then matches the whole range). */
export const isEmptyFilter = (filter: SearchFilter): boolean =>
  Object.values(filter).every((value) => value === undefined);
