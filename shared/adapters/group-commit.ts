interface Pending<E> {
  readonly group: string;
  readonly entries: readonly E[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs `write` one call at a time, and merges the calls made meanwhile: whatever was asked for while a
 * write ran, or within the same turn of the event loop, goes into the next write in the order asked,
 * as long as it is of the same `group`. Each caller's promise settles with the write its entries went
 * into, so a caller waits no longer than it would alone, and a failed write fails every caller in it.
 */
export const groupCommit = <E>(
  write: (group: string, entries: readonly E[]) => Promise<void>,
): ((group: string, entries: readonly E[]) => Promise<void>) => {
  const queue: Pending<E>[] = [];
  let draining = false;

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const group = queue[0]?.group;
      let size = 0;
      while (size < queue.length && queue[size]?.group === group) size += 1;
      const batch = queue.splice(0, size);
      try {
        await write(
          group ?? '',
          batch.flatMap((pending) => pending.entries),
        );
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    draining = false;
  };

  return (group, entries) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ group, entries, resolve, reject });
      if (draining) return;
      draining = true;
      // Not at once: a caller a few awaits behind in the same turn joins this write.
      setImmediate(() => void drain());
    });
};
