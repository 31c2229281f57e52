// Provider facts: docs/providers/README.md#simulators
/**
 * Queued misbehaviour for a simulated provider: tests (and chaos runs of the embedded default) inject faults,
 * and the server takes one per incoming call, in order, before handling it normally.
 */

export type Fault =
  | { kind: 'throttle', retryAfterMs?: number } // 400 Throttling.User (with x-acs-retry-after header when retryAfterMs given)
  | { kind: 'server-error', status?: 500 | 503 } // 500 InternalError / 503 ServiceUnavailable with the provider's error body
  | { kind: 'slow', delayMs: number } // answer normally after a delay
  | { kind: 'hang' } // never answer (until the client gives up or the server closes)
  | { kind: 'reset' } // destroy the socket without answering
  | { kind: 'malformed' } // 200 with a non-JSON body
  | { kind: 'truncated' } // 200 with the first half of the real body
  | { kind: 'wrong-types' } // 200 with the real structure but numbers replaced by negatives, fractions and objects
  | { kind: 'auth' } // as if the signature were wrong
  // Hostile error messages in the cloud's own error body, which the shared gateway pipeline answers for every cloud:
  | { kind: 'huge-message' } // the internal error, its message HUGE_MESSAGE_CHARACTERS long (see hostile-messages.ts)
  | { kind: 'secret-echo' } // the signature error, its message echoing the caller's secret in many encodings
  // Faults in the API's own body shape, which each simulator applies to its records (see HostileBody):
  | { kind: 'duplicate-record' } // 200 with one record (bucket) listed twice
  | { kind: 'absent-field' } // 200 with a usage field the API always sends left out of one record
  | { kind: 'unsafe-integer' } // 200 with one usage value past 2^53 - 1 (UNSAFE_INTEGER)
  | { kind: 'large-value' } // 200 with LARGE_VALUE added to one usage value: safe, but past 2^53 - 1 once minutes × 60
  | { kind: 'formula-dimension' } // 200 with one record's free-text dimension set to FORMULA_VALUE, when the API has one

/** The faults a simulator applies to its own success body, in that API's shape. */
export type ShapeFaultKind = 'duplicate-record' | 'absent-field' | 'unsafe-integer' | 'large-value' | 'formula-dimension'

export const SHAPE_FAULT_KINDS: readonly ShapeFaultKind[] = ['duplicate-record', 'absent-field', 'unsafe-integer', 'large-value', 'formula-dimension']

export function isShapeFault (fault: Fault | undefined): fault is Extract<Fault, { kind: ShapeFaultKind }> {
  return fault !== undefined && (SHAPE_FAULT_KINDS as readonly string[]).includes(fault.kind)
}

interface QueuedFault { fault: Fault, remaining: number }

export class FaultInjector {
  private readonly queue: QueuedFault[] = []

  /** Queues a fault for the next `times` calls (default 1; Infinity = until cleared), after those already queued. */
  inject (fault: Fault, times = 1): void {
    if (!(times >= 1)) throw new RangeError(`times must be at least 1, got ${times}`)
    this.queue.push({ fault, remaining: times })
  }

  clear (): void {
    this.queue.length = 0
  }

  /** Used by servers: the fault for the call being handled, if any. */
  next (): Fault | undefined {
    const head = this.queue[0]
    if (head === undefined) return undefined
    head.remaining -= 1
    if (head.remaining <= 0) this.queue.shift()
    return head.fault
  }
}
