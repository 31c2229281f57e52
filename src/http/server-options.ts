/**
 * How the HTTP server treats connections: size limits, timeouts and shutdown behaviour, in one place.
 * `buildApp` applies these everywhere (tests included); `server.ts` adds only the logger.
 *
 * Timeouts, and why each has its value:
 * - headersTimeout (10 s) and requestTimeout (30 s): time to *receive* the request line and headers, and the
 *   whole request. A GET arrives in milliseconds; a client dribbling bytes (slowloris) is cut off with a 408.
 * - connectionsCheckingInterval (1 s): Node enforces the two timeouts above only when it checks connections,
 *   every 30 s by default, which let a slow client hold a socket for up to 40 s instead of 10. Checked every
 *   second, a slow client is cut off within a second of the documented figure.
 * - connectionTimeout: socket inactivity. Nothing is written while a /usage answer is computed, so it must
 *   exceed the longest deadline a request may ask for, or Node destroys the socket of a slow answer.
 * - keepAliveTimeout (5 s): how long an idle keep-alive connection is kept.
 * - The work of one request is bounded by its own deadline (`timeout`, or USAGE_REQUEST_TIMEOUT_MS).
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyBaseLogger, FastifyHttpOptions } from 'fastify'
import { MAX_TIMEOUT_SECONDS } from '../schemas/usage-query-schema.js'
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js'

export const HTTP_LIMITS = {
  /** Every route is a GET: a body is never needed, and a large one is refused unread. */
  bodyLimitBytes: 16 * 1024,
  /** Request line (with the query string) plus headers. Node answers 431 past it. */
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000
} as const

export interface ServerOptionsInput {
  /** The service's default request deadline (USAGE_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number
  /** Time to receive the request line and headers; HTTP_LIMITS.headersTimeoutMs unless given (tests shorten it). */
  headersTimeoutMs?: number
}

export function serverOptions (input: ServerOptionsInput): FastifyHttpOptions<http.Server> {
  const longestDeadlineMs = Math.max(input.requestTimeoutMs, MAX_TIMEOUT_SECONDS * 1000)
  const headersTimeout = input.headersTimeoutMs ?? HTTP_LIMITS.headersTimeoutMs
  return {
    bodyLimit: HTTP_LIMITS.bodyLimitBytes,
    http: {
      maxHeaderSize: HTTP_LIMITS.maxHeaderBytes,
      headersTimeout,
      connectionsCheckingInterval: HTTP_LIMITS.connectionsCheckingIntervalMs,
      // Node's own check answers an empty 400; the error handler makes the same check in the documented shape.
      requireHostHeader: false
    },
    // Node requires headersTimeout <= requestTimeout.
    requestTimeout: Math.max(HTTP_LIMITS.requestTimeoutMs, headersTimeout),
    connectionTimeout: longestDeadlineMs + 10_000,
    keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
    // Shutdown: idle keep-alive sockets are closed at once, busy ones after their response; requests arriving
    // meanwhile get the shutdown gate's 503 (the documented error shape) rather than Fastify's own.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // Unique across replicas and restarts, or the caller's own id (request-id.ts); every response carries it.
    genReqId: request => requestIdFor(request.headers),
    clientErrorHandler: answerClientError
  }
}

/**
 * Errors Node raises before a request exists (oversized headers, a garbled request line, too slow): the documented
 * shape, with a request id of its own that the log line written here carries, as every other error answer does.
 */
function answerClientError (this: { log: FastifyBaseLogger }, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, `the request line and headers exceed ${HTTP_LIMITS.maxHeaderBytes} bytes; shorten the query string`]
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request was not received in time']
      : [400, 'the request is not valid HTTP']
  const requestId = `client-${randomUUID()}`
  this.log.info({ reqId: requestId, statusCode: status, code: error.code, remoteAddress: socket.remoteAddress }, 'client error answered')
  const body = JSON.stringify({ error: { code: 'INVALID_REQUEST', message, details: [], requestId } })
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n${REQUEST_ID_HEADER}: ${requestId}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  } else {
    socket.destroy(error)
  }
}
