/**
 * How long a replica waits before asking Redis again. A little jitter keeps replicas that started waiting
 * together from asking in lockstep, which would favour whichever one's packets happen to arrive first.
 */
export function pollDelayMs (suggestedMs: number, maxMs: number): number {
  const base = Math.min(Math.max(1, suggestedMs), maxMs)
  return Math.ceil(base + Math.random() * Math.min(10, maxMs / 4))
}
