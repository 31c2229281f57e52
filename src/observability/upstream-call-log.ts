/**
 * One structured log line per upstream attempt: source, kind, window, outcome, attempt, duration and the
 * provider's code and request id. Never parameters beyond the window, never a credential. Written through
 * the logger of the request that caused the call, so it carries that request's id; a call shared by several
 * requests (coalesced) carries the id of the request that started it.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { UpstreamCallLog } from '../usage/source-executor.js'
import { currentRequestLogger } from './request-context.js'

export function createUpstreamCallLogger (fallback: FastifyBaseLogger): (entry: UpstreamCallLog) => void {
  return entry => {
    const logger = currentRequestLogger() ?? fallback
    const line = {
      upstream: {
        source: entry.source,
        kind: entry.kind,
        window: { from: new Date(entry.window.from).toISOString(), to: new Date(entry.window.to).toISOString() },
        attempt: entry.attempt,
        outcome: entry.outcome,
        durationMs: entry.durationMs,
        providerCode: entry.providerCode,
        providerRequestId: entry.requestId
      }
    }
    if (entry.outcome === 'ok') logger.info(line, 'upstream call')
    else logger.warn(line, 'upstream call failed')
  }
}
