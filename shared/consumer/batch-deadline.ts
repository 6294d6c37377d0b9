import type { Clock } from './clock.js';

/**
 * The one time budget of a batch: the moment the invocation must stop processing so the final publish
 * still fits. One timer and one `AbortSignal` for the whole batch, instead of a controller and a timer
 * per record, which was a measurable share of a 1,000-record batch.
 */
export interface BatchDeadline {
  /** The ms left for processing (the invocation's remaining time minus the reserve); <= 0 once spent. */
  remainingMs(): number;
  /**
   * The timer, armed on first use with the budget left at that moment, so a batch that never runs the
   * business step (everything deferred or undecodable) sets none. Later calls return the same one.
   */
  timer(): DeadlineTimer;
  /** Stops the timer; the batch calls it when it is done, whatever happened. */
  cancel(): void;
}

export interface DeadlineTimer {
  /** The budget the timer was armed with, in ms (for messages). */
  readonly budgetMs: number;
  /** Aborted when the deadline passes; handed to the business step so abandoned work stops. */
  readonly signal: AbortSignal;
  /**
   * `step`'s outcome, or `deadlineReached` if the deadline passes first. Cheaper than racing `step`
   * against a shared promise: no array, no iteration, one reaction on `step`; the deadline settles
   * every race still open itself.
   */
  race<T>(step: Promise<T>): Promise<T | typeof deadlineReached>;
}

/** What a race resolves to when the deadline wins, so it is told apart from a step's own result. */
export const deadlineReached: unique symbol = Symbol('deadline reached');

/** `budgetMs` reads the budget left now; on Lambda it is the context's remaining time minus a reserve. */
export const startBatchDeadline = (clock: Clock, budgetMs: () => number): BatchDeadline => {
  let armed: DeadlineTimer | undefined;
  let cancel: () => void = () => undefined;
  const remainingMs = (): number => (armed?.signal.aborted ? 0 : budgetMs());
  const timer = (): DeadlineTimer => {
    if (armed !== undefined) return armed;
    const budget = remainingMs();
    const controller = new AbortController();
    // The races begun before the deadline, settled or not: each is settled by its step or by the
    // deadline, whichever comes first (a promise settles once, so the other one is a no-op). Kept for
    // the batch, one closure a record, rather than paying to remove each one as its step settles.
    let open: ((outcome: typeof deadlineReached) => void)[] = [];
    const fire = (): void => {
      controller.abort();
      const settle = open;
      open = [];
      for (const resolve of settle) resolve(deadlineReached);
    };
    const race = <T>(step: Promise<T>): Promise<T | typeof deadlineReached> => {
      if (controller.signal.aborted) {
        // The step is abandoned, but an abort-aware one rejects on the aborted signal: observed here,
        // or it would be an unhandled rejection that fails the whole invocation.
        Promise.resolve(step).catch(() => undefined);
        return Promise.resolve(deadlineReached);
      }
      return new Promise<T | typeof deadlineReached>((resolve, reject) => {
        open.push(resolve);
        Promise.resolve(step).then(resolve, reject);
      });
    };
    armed = { budgetMs: budget, signal: controller.signal, race };
    if (budget > 0) cancel = clock.setTimer(budget, fire);
    else fire();
    return armed;
  };
  return { remainingMs, timer, cancel: () => cancel() };
};
