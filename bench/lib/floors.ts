/**
 * Pure arithmetic of the upstream-efficiency figures: the fewest calls the API limits allow, and the shortest
 * wall time those calls can take given each source's QPS and the upstream latency.
 *
 * Two floors, both for the *minimum* number of calls:
 * - the gate floor: what this service's RateGate design allows (src/usage/rate-gate.ts). S = max(1, floor(qps))
 *   slots; a slot is reused W = 1000·S/qps ms (+5 ms margin) after its previous call *finished*, so with constant
 *   latency L and enough concurrency the calls run in R = ceil(calls / S) rounds:
 *       floor = R·L + (R − 1)·(W + 5 ms)
 *   With a random latency and a concurrency cap below S the rounds drift apart, so the figure used is the expected
 *   value of an exact replay of the gate's schedule (FIFO p-limit, FIFO gate, earliest slot) over sampled latencies;
 * - the API floor: an ideal client that sends each group of S calls the moment the provider's one-second window
 *   allows it, ignoring how long answers take: floor = (ceil(calls / S) − 1)·W + the last group's slowest latency.
 * Sources run in parallel on their own budgets: a query's floor is the maximum over its sources.
 */

/** Mirrors src/usage/rate-gate.ts: the window a slot waits after its call finished, and the margin added to it. */
export const GATE_WINDOW_MS = 1000
export const GATE_MARGIN_MS = 5

export interface LatencyRange {
  min: number
  max: number
}

/** What the limits say about one source for one query. */
export type MinimumCallsInput =
  /** Nothing to fetch: unaligned, wholly out of range or in the future. */
  | { buckets: 'none' }
  /** Native grid: the fetchable span in windows of at most maxSpan (whole native buckets), once per variant. */
  | { buckets: 'grid', spanMs: number, maxSpanMs: number, stepMs: number, variants: number }
  /** No native buckets (one total per call): one call per requested bucket (clipped to the fetchable span). */
  | { buckets: 'any', windowsMs: readonly number[], maxSpanMs: number, variants: number }

export function minimumCalls (input: MinimumCallsInput): number {
  switch (input.buckets) {
    case 'none':
      return 0
    case 'grid': {
      if (input.spanMs <= 0 || input.variants <= 0) return 0
      // A window is whole native buckets, so the longest one is the span limit floored to the grid step.
      const longest = Math.floor(input.maxSpanMs / input.stepMs) * input.stepMs
      if (longest <= 0) throw new RangeError('the span limit is shorter than one native bucket')
      return Math.ceil(input.spanMs / longest) * input.variants
    }
    case 'any': {
      let calls = 0
      for (const window of input.windowsMs) if (window > 0) calls += Math.ceil(window / input.maxSpanMs)
      return calls * input.variants
    }
  }
}

export interface GateSource {
  calls: number
  qps: number
  /** Most calls in flight at once (the executor's p-limit). */
  concurrency: number
}

export function gateSlots (qps: number): number {
  if (!(qps > 0)) throw new RangeError('qps must be positive')
  return Math.max(1, Math.floor(qps))
}

/** How long a slot waits after its call finished (1 s at 1 QPS or more, proportionally longer below). */
export function gateWindowMs (qps: number): number {
  return (gateSlots(qps) * GATE_WINDOW_MS) / qps
}

/** The closed form for a constant latency and concurrency ≥ slots: R·L + (R − 1)·(W + margin). */
export function gateFloorClosedFormMs (calls: number, qps: number, latencyMs: number): number {
  if (calls <= 0) return 0
  const rounds = Math.ceil(calls / gateSlots(qps))
  return rounds * latencyMs + (rounds - 1) * (gateWindowMs(qps) + GATE_MARGIN_MS)
}

/**
 * Exact replay of one source's schedule under the RateGate and the executor's concurrency cap, every call
 * queued at once (as a query does): returns when the last call finishes. `latencyOf(index)` is call index's latency.
 */
export function simulateGateMs (source: GateSource, latencyOf: (index: number) => number): number {
  if (source.calls <= 0) return 0
  const slots = gateSlots(source.qps)
  const reuseAfterMs = gateWindowMs(source.qps) + GATE_MARGIN_MS
  const slotReadyAt = new Array<number>(slots).fill(Number.NEGATIVE_INFINITY)
  // p-limit is FIFO: the k-th call gets the k-th permit to come free, all calls having been queued at 0.
  const permits = new MinHeap()
  for (let index = 0; index < Math.max(1, source.concurrency); index++) permits.push(0)
  let previousStart = 0
  let lastFinish = 0
  for (let index = 0; index < source.calls; index++) {
    const entered = permits.pop()
    let slot = 0
    for (let candidate = 1; candidate < slots; candidate++) if (slotReadyAt[candidate]! < slotReadyAt[slot]!) slot = candidate
    // The gate serves waiters in arrival order, one at a time, each on the slot that frees first.
    const start = Math.max(entered, previousStart, slotReadyAt[slot]!)
    const finish = start + latencyOf(index)
    slotReadyAt[slot] = finish + reuseAfterMs
    permits.push(finish)
    previousStart = start
    lastFinish = Math.max(lastFinish, finish)
  }
  return lastFinish
}

/** The ideal client: groups of S calls one window apart, each answer arriving a latency after its call left. */
export function simulateApiMs (source: GateSource, latencyOf: (index: number) => number): number {
  if (source.calls <= 0) return 0
  const slots = gateSlots(source.qps)
  const period = gateWindowMs(source.qps)
  let lastFinish = 0
  for (let index = 0; index < source.calls; index++) {
    lastFinish = Math.max(lastFinish, Math.floor(index / slots) * period + latencyOf(index))
  }
  return lastFinish
}

export interface FloorEstimate {
  /** Expected wall time of the slowest source under the RateGate design. */
  gateMs: number
  /** Expected wall time of the slowest source for an ideal client at the provider's limit. */
  apiMs: number
  /** Per source, in input order. */
  perSource: Array<{ gateMs: number, apiMs: number }>
}

/**
 * Expected floors over `trials` draws of a uniform latency in [min, max] (a seeded generator, so a run is
 * reproducible): the max over sources is taken inside each trial, since sources run at the same time.
 */
export function estimateFloors (sources: readonly GateSource[], latency: LatencyRange, trials = 400, seed = 20261120): FloorEstimate {
  const random = mulberry32(seed)
  const draw = () => latency.min + random() * Math.max(0, latency.max - latency.min)
  let gateTotal = 0
  let apiTotal = 0
  const perSource = sources.map(() => ({ gateMs: 0, apiMs: 0 }))
  const count = latency.max > latency.min ? Math.max(1, trials) : 1
  for (let trial = 0; trial < count; trial++) {
    let gateMax = 0
    let apiMax = 0
    sources.forEach((source, index) => {
      const latencies = Array.from({ length: Math.max(0, source.calls) }, draw)
      const gate = simulateGateMs(source, call => latencies[call]!)
      const api = simulateApiMs(source, call => latencies[call]!)
      perSource[index]!.gateMs += gate / count
      perSource[index]!.apiMs += api / count
      gateMax = Math.max(gateMax, gate)
      apiMax = Math.max(apiMax, api)
    })
    gateTotal += gateMax
    apiTotal += apiMax
  }
  return { gateMs: gateTotal / count, apiMs: apiTotal / count, perSource }
}

/** A small seeded PRNG in [0, 1). */
export function mulberry32 (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

/** Parses '80-150' or '100' (milliseconds), as USAGE_SIMULATOR_LATENCY_MS does. */
export function parseLatency (text: string): LatencyRange {
  const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(text)
  if (!match) throw new RangeError(`latency '${text}' is not milliseconds such as 100 or 80-150`)
  const min = Number(match[1])
  const max = match[2] === undefined ? min : Number(match[2])
  if (max < min) throw new RangeError(`latency '${text}' must go from low to high`)
  return { min, max }
}

class MinHeap {
  private readonly items: number[] = []

  push (value: number): void {
    const items = this.items
    items.push(value)
    let index = items.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (items[parent]! <= items[index]!) break
      ;[items[parent], items[index]] = [items[index]!, items[parent]!]
      index = parent
    }
  }

  pop (): number {
    const items = this.items
    const top = items[0]!
    const last = items.pop()!
    if (items.length > 0) {
      items[0] = last
      let index = 0
      for (;;) {
        const left = index * 2 + 1
        const right = left + 1
        let smallest = index
        if (left < items.length && items[left]! < items[smallest]!) smallest = left
        if (right < items.length && items[right]! < items[smallest]!) smallest = right
        if (smallest === index) break
        ;[items[smallest], items[index]] = [items[index]!, items[smallest]!]
        index = smallest
      }
    }
    return top
  }
}
