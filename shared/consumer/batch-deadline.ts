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
  /** Resolves to `deadlineReached` when the deadline passes; never rejects. One for the whole batch. */
  readonly reached: Promise<typeof deadlineReached>;
}

/** What `reached` resolves to, so a race against a step's own result tells the two apart. */
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
    let fire: () => void = () => undefined;
    const reached = new Promise<typeof deadlineReached>((resolve) => {
      fire = () => {
        controller.abort();
        resolve(deadlineReached);
      };
    });
    armed = { budgetMs: budget, signal: controller.signal, reached };
    if (budget > 0) cancel = clock.setTimer(budget, fire);
    else fire();
    return armed;
  };
  return { remainingMs, timer, cancel: () => cancel() };
};
