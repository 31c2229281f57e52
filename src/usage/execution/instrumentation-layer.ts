/**
 * Every upstream attempt counted and timed in the metrics, and described by one log line: no parameters
 * beyond the window, never a credential. Just above the adapter, so the time is the call's own, not the wait
 * for the budget.
 */
import { outcomeOf, type CallOutcome, type UsageMetrics } from '../../observability/usage-metrics.js'
import type { SourceConfig } from '../source-adapter.js'
import type { CallLayer } from './call-layer.js'

/** One line per upstream attempt, for the log. */
export interface UpstreamCallLog {
  source: string
  kind: string
  window: { from: number, to: number }
  attempt: number
  outcome: CallOutcome
  providerCode: string | null
  requestId: string | null
  durationMs: number
}

export interface InstrumentationLayerOptions {
  source: Pick<SourceConfig, 'id' | 'kind'>
  metrics?: UsageMetrics
  onCall?: (entry: UpstreamCallLog) => void
  monotonicNow?: () => number
}

/** What the log line says of the provider's answer: its request id, and its code when it failed. */
type ProviderAnswer = { providerCode?: string | null, requestId?: string | null } | null

export function instrumentationLayer (options: InstrumentationLayerOptions): CallLayer {
  const { metrics, onCall } = options
  const monotonicNow = options.monotonicNow ?? (() => performance.now())
  const labels = { source: options.source.id, kind: options.source.kind }
  return next => async (call, context) => {
    const started = monotonicNow()
    let outcome: CallOutcome = 'ok'
    let answer: ProviderAnswer = null
    try {
      const executed = await next(call, context)
      answer = { requestId: executed.result.requestId }
      return executed
    } catch (error) {
      answer = error as ProviderAnswer
      outcome = outcomeOf(error)
      throw error
    } finally {
      const durationMs = monotonicNow() - started
      metrics?.upstreamCalls.inc({ ...labels, outcome })
      metrics?.upstreamLatency.observe(labels, durationMs / 1000)
      if (outcome === 'throttled') metrics?.throttles.inc(labels)
      onCall?.({
        ...labels,
        window: call.window,
        attempt: context.attempt,
        outcome,
        providerCode: answer?.providerCode ?? null,
        requestId: answer?.requestId ?? null,
        durationMs: Math.round(durationMs)
      })
    }
  }
}
