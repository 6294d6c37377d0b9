import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../../shared/adapters/group-commit.js';

/** A write that records each call's entries and finishes when the test says so. */
const gatedWrites = () => {
  const calls: Array<{ group: string; entries: readonly string[]; finish: (error?: Error) => void }> = [];
  const write = groupCommit<string>(
    (group, entries) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ group, entries, finish: (error) => (error ? reject(error) : resolve()) });
      }),
  );
  return { calls, write };
};

describe('groupCommit', () => {
  it('merges calls of one turn of the event loop into one write, in the order asked', async () => {
    const { calls, write } = gatedWrites();

    const first = write('run-1', ['a', 'b']);
    await Promise.resolve();
    const second = write('run-1', ['c']);
    await nextTurn();
    calls[0]?.finish();

    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(calls.map(({ entries }) => entries)).toEqual([['a', 'b', 'c']]);
  });

  it('runs one write at a time, merging what was asked for meanwhile into the next', async () => {
    const { calls, write } = gatedWrites();
    const first = write('run-1', ['a']);
    await nextTurn();

    const second = write('run-1', ['b']);
    const third = write('run-1', ['c']);
    await nextTurn();
    expect(calls).toHaveLength(1);
    calls[0]?.finish();
    await first;
    await nextTurn();

    expect(calls.map(({ entries }) => entries)).toEqual([['a'], ['b', 'c']]);
    calls[1]?.finish();
    await Promise.all([second, third]);
  });

  it('fails every caller of a failed write, and only those', async () => {
    const { calls, write } = gatedWrites();
    const first = write('run-1', ['a']);
    const second = write('run-1', ['b']);
    await nextTurn();
    const third = write('run-1', ['c']);
    calls[0]?.finish(new Error('fenced'));

    await expect(first).rejects.toThrow('fenced');
    await expect(second).rejects.toThrow('fenced');
    await nextTurn();
    calls[1]?.finish();
    await expect(third).resolves.toBeUndefined();
    expect(calls.map(({ entries }) => entries)).toEqual([['a', 'b'], ['c']]);
  });

  it('never merges writes of different groups', async () => {
    const { calls, write } = gatedWrites();
    const writes = [write('run-1', ['a']), write('run-2', ['b']), write('run-1', ['c'])];

    for (let index = 0; index < 3; index += 1) {
      await nextTurn();
      calls[index]?.finish();
    }
    await Promise.all(writes);

    expect(calls.map(({ group, entries }) => [group, entries])).toEqual([
      ['run-1', ['a']],
      ['run-2', ['b']],
      ['run-1', ['c']],
    ]);
  });
});
