/**
 * One JSON log line of the service (pino), as tests read it: the fields they compare typed, any other field
 * `unknown` for a test to narrow.
 */
import type { UpstreamCallLog } from '../../src/usage/source-executor.js'

/** What an upstream call's line carries under `upstream` (src/observability/upstream-call-log.ts). */
export interface UpstreamCallLine extends Omit<UpstreamCallLog, 'window' | 'requestId'> {
  window: { from: string, to: string }
  providerRequestId: string | null
}

export interface LogLine {
  level?: number
  msg?: string
  reqId?: string
  req?: { method?: string, url?: string }
  res?: { statusCode?: number }
  upstream?: UpstreamCallLine
  [field: string]: unknown
}
