// Provider facts: docs/providers/README.md#simulators
/**
 * Providers restate settled usage now and then (late records, corrections). A test tells a simulator to do so
 * through this: from the moment `restate` is called, the simulator answers the changed number for that
 * coordinate, at every granularity and split, as a provider would after a correction.
 */
export class Restatements {
  private readonly deltas = new Map<string, number>()

  /** Adds `delta` (negative: removes) to the simulated number at these coordinates (the kind's own, e.g. instance, hour, field). */
  restate (delta: number, ...coordinates: Array<string | number>): void {
    if (!Number.isSafeInteger(delta)) throw new RangeError(`delta must be a safe integer, got ${delta}`)
    const key = JSON.stringify(coordinates)
    this.deltas.set(key, (this.deltas.get(key) ?? 0) + delta)
  }

  /** What to add to the deterministic number at these coordinates; 0 when nothing was restated. */
  deltaOf (...coordinates: Array<string | number>): number {
    return this.deltas.size === 0 ? 0 : this.deltas.get(JSON.stringify(coordinates)) ?? 0
  }
}
