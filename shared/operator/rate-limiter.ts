/**
 * A token bucket for bulk redrives: `ratePerSecond` records a second on average, in bursts of at
 * most one second's worth, so the consumers downstream see a steady flow instead of a spike.
 */
export class RateLimiter {
  #tokens: number;
  #at: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ) {
    // Start full: the first second's worth goes at once.
    this.#tokens = ratePerSecond;
    this.#at = now();
  }

  /** Waits until `count` records may go. A request larger than the bucket waits for its share. */
  async take(count: number, signal?: AbortSignal): Promise<void> {
    this.#refill();
    if (this.#tokens < count) {
      await this.sleep(Math.ceil(((count - this.#tokens) / this.ratePerSecond) * 1000), signal);
      this.#refill();
    }
    this.#tokens -= count;
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(
      this.ratePerSecond,
      this.#tokens + ((now - this.#at) / 1000) * this.ratePerSecond,
    );
    this.#at = now;
  }
}
