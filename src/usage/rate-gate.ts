/**
 * The rate half of an account's call budget for one API (see call-budget.ts): at most `perSecond` calls in
 * any one-second window as the provider sees them, shared by every request and source using that budget.
 *
 * A call reaches the provider some time between leaving and its answer coming back, and both the network
 * and a busy event loop stretch that gap. Counting from departure lets two calls that left a second apart
 * arrive closer than that and be throttled. So each of `perSecond` slots is reusable only a window after
 * its previous call *finished*: arrivals sharing a slot are then always more than a window apart, and no
 * window can hold more calls than there are slots. The price is one round trip per slot per window.
 */
import { setTimeout as sleep } from 'node:timers/promises'

const WINDOW_MS = 1000
const MARGIN_MS = 5

export type ReleaseSlot = () => void

export class RateGate {
  /** When each slot may be used again; Infinity while its call is in flight. */
  private readonly availableAt: number[]
  private readonly windowMs: number
  private queue: Promise<unknown> = Promise.resolve()

  constructor (perSecond: number, private readonly monotonicNow: () => number = () => performance.now()) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive')
    const slots = Math.max(1, Math.floor(perSecond))
    // Below one call a second, one slot waits proportionally longer (0.5 QPS: one call per 2 s).
    this.windowMs = (slots * WINDOW_MS) / perSecond
    this.availableAt = new Array<number>(slots).fill(Number.NEGATIVE_INFINITY)
  }

  /** Resolves, in arrival order, with a function to call when the upstream call has finished (or failed). */
  async acquire (signal?: AbortSignal): Promise<ReleaseSlot> {
    const turn = this.queue.then(() => this.waitForSlot(signal))
    this.queue = turn.catch(() => undefined)
    return turn
  }

  private async waitForSlot (signal?: AbortSignal): Promise<ReleaseSlot> {
    for (;;) {
      signal?.throwIfAborted()
      const now = this.monotonicNow()
      const slot = this.earliestSlot()
      const readyAt = this.availableAt[slot]!
      if (readyAt <= now) {
        this.availableAt[slot] = Number.POSITIVE_INFINITY
        let released = false
        return () => {
          if (released) return
          released = true
          this.availableAt[slot] = this.monotonicNow() + this.windowMs + MARGIN_MS
        }
      }
      // Every slot in flight: poll briefly, since a release does not wake the queue.
      const wait = Number.isFinite(readyAt) ? readyAt - now : 10
      await sleep(Math.max(1, Math.min(wait, 50)), undefined, { signal })
    }
  }

  private earliestSlot (): number {
    let best = 0
    for (let index = 1; index < this.availableAt.length; index++) {
      if (this.availableAt[index]! < this.availableAt[best]!) best = index
    }
    return best
  }
}
