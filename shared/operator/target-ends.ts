import type { Offsets } from './ports.js';

/**
 * Per target topic, offsets at or below its partitions' end offsets, for the intents of a run. A chunk's
 * intent needs, per partition, an offset its records will land at or after; any end offset read before
 * its send is one, as end offsets only grow. So only a topic's first chunk waits for a lookup: later
 * ones take the latest lookup that has answered, and start the next in the background. The bound trails
 * the true end by about a lookup's time, which adds that much to a resume's scan, never a miss.
 */
export class TargetEnds {
  readonly #known = new Map<string, Offsets>();
  readonly #lookups = new Map<string, Promise<void>>();

  constructor(private readonly lookup: (topic: string) => Promise<Offsets>) {}

  /** Offsets that records sent from now on in `topic` land at or after. */
  async before(topic: string): Promise<Offsets> {
    if (!this.#known.has(topic)) await this.#refresh(topic);
    else void this.#refresh(topic).catch(() => undefined);
    return { ...this.#known.get(topic) };
  }

  #refresh(topic: string): Promise<void> {
    const running = this.#lookups.get(topic);
    if (running !== undefined) return running;
    const lookup = this.lookup(topic)
      .then((ends) => {
        const known = this.#known.get(topic) ?? {};
        for (const [partition, offset] of Object.entries(ends)) {
          known[partition] = Math.max(known[partition] ?? offset, offset);
        }
        this.#known.set(topic, known);
      })
      .finally(() => this.#lookups.delete(topic));
    this.#lookups.set(topic, lookup);
    return lookup;
  }
}
