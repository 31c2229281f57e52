/** The one clock. Everything that asks "what time is it" takes a Clock, so tests can pin time. */
export interface Clock {
  /** Current instant, epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock fixed at one instant (or moved by hand), for tests and reproducible runs. */
export function fixedClock (instant: number): Clock & { set(instant: number): void } {
  let current = instant
  return {
    now: () => current,
    set: (next: number) => { current = next }
  }
}
