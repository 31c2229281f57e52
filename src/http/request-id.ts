/**
 * Request ids: one per request, unique across processes and restarts (a random UUID, not a per-process counter
 * that starts at 1 in every replica), or the caller's own when it sends one, so a request can be followed from a
 * gateway or a traced client into this service's log lines and error bodies.
 *
 * Honoured, in this order: `X-Request-Id` when it is a sane token (at most 128 characters of letters, digits and
 * `._:-`: nothing that could forge a log line or a header), then the trace-id of a valid W3C `traceparent`.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

export const REQUEST_ID_HEADER = 'x-request-id'

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/
/** version-traceid-parentid-flags; a future version may append fields after the flags. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/
const ALL_ZEROS = /^0+$/

/** The id of a request: the caller's when it sent a usable one, a fresh UUID otherwise. */
export function requestIdFor (headers: IncomingHttpHeaders): string {
  return callerRequestId(headers) ?? randomUUID()
}

function callerRequestId (headers: IncomingHttpHeaders): string | null {
  const given = headers[REQUEST_ID_HEADER]
  if (typeof given === 'string' && SANE_REQUEST_ID.test(given)) return given
  const traceparent = headers.traceparent
  return typeof traceparent === 'string' ? traceIdOf(traceparent.trim()) : null
}

/** The trace-id of a W3C traceparent, or null when the header is not one (version ff, zero ids, version 00 with extra fields). */
export function traceIdOf (traceparent: string): string | null {
  const match = TRACEPARENT.exec(traceparent)
  if (match === null) return null
  const [, version, traceId, parentId, , extra] = match as unknown as [string, string, string, string, string, string | undefined]
  if (version === 'ff' || (version === '00' && extra !== undefined)) return null
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return null
  return traceId
}
