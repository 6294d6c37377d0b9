/**
 * The three steps of one redrive chunk (README "Redrive ledger"), as the pipeline sees them. The I/O
 * behind them is in `chunk-steps.ts`; here they are opaque, so the scheduling below is tested with fakes.
 */
export interface ChunkSteps<Chunk, Announced> {
  /** Step 1: the chunk's intent (with the target topics' end offsets) is committed to the ledger. */
  announce(chunk: Chunk): Promise<Announced>;
  /** Step 2: the chunk's records are published and acknowledged. */
  send(chunk: Chunk, announced: Announced): Promise<void>;
  /** Step 3: the chunk's ledger records, the run's count and the intent's tombstone, in one transaction. */
  record(chunk: Chunk, announced: Announced): Promise<void>;
}

export type ChunkStep = 'announce' | 'send' | 'record';

export interface ChunkFailure {
  readonly error: unknown;
  readonly step: ChunkStep;
}

/**
 * Runs a redrive's chunks through their steps, overlapping chunks only where the exactly-once
 * guarantee allows it:
 *
 * - One chunk at a time is announced and sent. `submit` returns as soon as the chunk is taken, so the
 *   scan fills the next chunk while this one goes out; the next `submit` waits for this chunk's send and
 *   for the recording of the chunk before it. So at most one chunk is sending and one recording, besides
 *   the one the scan is filling: memory stays at three chunks whatever the selection's size.
 * - A chunk is recorded only after its own send, and chunks are recorded in order, one transaction at a
 *   time (a transactional producer holds one transaction at a time anyway).
 * - Once any step failed, no later chunk is announced or sent. The check that matters is the one just
 *   before a send: recording the previous chunk runs meanwhile, and if it failed (a fenced ledger writer,
 *   another process now owns the ledger), sending this chunk could duplicate what that process sends. The
 *   unsent chunk's intent stays in the ledger; the next run's recovery finds none of its records sent.
 *
 * A chunk already sent when a later failure happens is still recorded if it can be, so the next run has
 * less to recover.
 */
/**
 * Runs one chunk's announce and send; the default runs them as they are. `recorded` settles once the
 * chunk's ledger records are written, or will never be (a failed step), never rejecting.
 */
export type ChunkGuard = <T>(announceAndSend: () => Promise<T>, recorded?: Promise<void>) => Promise<T>;

export class ChunkPipeline<Chunk, Announced> {
  readonly #steps: ChunkSteps<Chunk, Announced>;
  readonly #guard: ChunkGuard;
  #sending: Promise<void> = Promise.resolve();
  #recording: Promise<void> = Promise.resolve();
  #recordingBefore: Promise<void> = Promise.resolve();
  #failure: ChunkFailure | undefined;

  /**
   * `guard` wraps each chunk's announce and send, which start only once the previous chunk's send has
   * ended: a UI job waits there for a request, and holds its answers until the chunk is recorded.
   */
  constructor(steps: ChunkSteps<Chunk, Announced>, guard: ChunkGuard = (work) => work()) {
    this.#steps = steps;
    this.#guard = guard;
  }

  /** The first step that failed, if any; later failures are consequences and are not kept. */
  get failure(): ChunkFailure | undefined {
    return this.#failure;
  }

  /**
   * Takes the next chunk once the pipeline has room for it; resolves when it is taken, not when it is
   * sent. Rejects, taking nothing, once a step of an earlier chunk failed.
   */
  async submit(chunk: Chunk): Promise<void> {
    this.#throwIfFailed();
    await this.#sending;
    await this.#recordingBefore;
    this.#throwIfFailed();
    let recordingEnded: () => void = () => undefined;
    const recorded = new Promise<void>((resolve) => {
      recordingEnded = resolve;
    });
    const sent = this.#announceAndSend(chunk, recorded);
    // Neither promise below rejects: a failure is kept in #failure and surfaces at the next submit or
    // at finish, so a chunk never leaves an unhandled rejection behind.
    this.#sending = sent.then(
      () => undefined,
      () => undefined,
    );
    const previous = this.#recording;
    this.#recordingBefore = previous;
    this.#recording = (async () => {
      const announced = await sent;
      await previous;
      // The chunk is out: record it unless an earlier chunk's recording failed (then the ledger writer
      // is gone or fenced, and this chunk's intent is settled by the next run's recovery).
      if (this.#failure?.step === 'record') return;
      await this.#steps.record(chunk, announced);
    })().catch((error: unknown) => this.#fail(error, 'record'));
    void this.#recording.then(recordingEnded);
  }

  /** Waits for every chunk taken to be sent and recorded; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.settled();
    this.#throwIfFailed();
  }

  /** Waits for whatever is in flight to end, never rejecting (a cancelled or failed run's clean-up). */
  async settled(): Promise<void> {
    await this.#sending;
    await this.#recording;
  }

  async #announceAndSend(chunk: Chunk, recorded: Promise<void>): Promise<Announced> {
    let step: ChunkStep = 'announce';
    try {
      return await this.#guard(async () => {
        const announced = await this.#steps.announce(chunk);
        // Recording the previous chunk ran while this one was announced. If it failed, this chunk is
        // not sent: nothing more goes out once the run can no longer record what it sends.
        this.#throwIfFailed();
        step = 'send';
        await this.#steps.send(chunk, announced);
        return announced;
      }, recorded);
    } catch (error) {
      this.#fail(error, step);
      throw error;
    }
  }

  #fail(error: unknown, step: ChunkStep): void {
    this.#failure ??= { error, step };
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure.error;
  }
}
