import type { RedriveSelection } from '../contract/operator.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { matchesFilter } from './filters.js';
import { hasFingerprint } from './fingerprint.js';

/**
 * Whether a record of the topic a redrive reads is one its selection takes. Pure, and built from the
 * selection's data alone, so a scan can apply it where it decodes the records (another thread).
 */
export const selectorOf = (selection: RedriveSelection): ((record: ConsumedRecord) => boolean) => {
  switch (selection.kind) {
    case 'records': {
      const wanted = new Set(selection.records.map(({ partition, offset }) => `${partition}:${offset}`));
      return (record) => wanted.has(`${record.partition}:${record.offset}`);
    }
    case 'envelope':
      return (record) =>
        record.partition === selection.coordinate.partition && record.offset === selection.coordinate.offset;
    case 'filter':
      return (record) => matchesFilter(record, selection.filter);
    case 'group':
      return (record) =>
        hasFingerprint(record, selection.fingerprint) && matchesFilter(record, selection.filter ?? {});
  }
};

/**
 * `onRecord` narrowed to the records `selection` takes (all of them without one); `onPassed` hears of
 * each record left out. What a scan port does for a request that names its selection.
 */
export const selectedBy = (
  selection: RedriveSelection | undefined,
  onRecord: (record: ConsumedRecord) => void | Promise<void>,
  onPassed: (count: number) => void = () => undefined,
): ((record: ConsumedRecord) => void | Promise<void>) => {
  if (selection === undefined) return onRecord;
  const selects = selectorOf(selection);
  return (record) => {
    if (selects(record)) return onRecord(record);
    onPassed(1);
    return undefined;
  };
};
