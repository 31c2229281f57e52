/**
 * Real HTTP to providers through undici, with the transport injected (tests may pass any Dispatcher).
 * Network failures are classified here, once, so adapters only map provider answers.
 */
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici'
import { UpstreamError } from '../errors.js'

export interface UpstreamRequest {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
}

export interface UpstreamResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export interface UpstreamHttp {
  send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse>
  close(): Promise<void>
}

/** Provider usage answers are small; anything bigger is a broken or hostile upstream. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024
/**
 * An error answer is a code and a sentence; of a bigger one only the start is read (the status still
 * classifies it) and the connection is dropped, so a hostile provider cannot make the service buffer megabytes.
 */
export const MAX_ERROR_BODY_BYTES = 64 * 1024

export interface UpstreamHttpOptions {
  dispatcher?: Dispatcher
  /** Time to wait for response headers and between body chunks. */
  timeoutMs?: number
}

export function createUpstreamHttp (options: UpstreamHttpOptions = {}): UpstreamHttp {
  const timeoutMs = options.timeoutMs ?? 30_000
  const ownsDispatcher = options.dispatcher === undefined
  const dispatcher = options.dispatcher ?? new Agent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    keepAliveTimeout: 10_000,
    connections: 32
  })

  return {
    async send (upstreamRequest) {
      try {
        const response = await request(upstreamRequest.url, {
          method: upstreamRequest.method,
          headers: upstreamRequest.headers,
          body: upstreamRequest.body,
          signal: upstreamRequest.signal,
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs
        })
        const failed = response.statusCode < 200 || response.statusCode >= 300
        const body = failed ? await readStart(response.body, MAX_ERROR_BODY_BYTES) : await readLimited(response.body)
        return { status: response.statusCode, headers: flattenHeaders(response.headers), body }
      } catch (error) {
        throw classifyTransportError(error, upstreamRequest)
      }
    },
    async close () {
      if (ownsDispatcher) await dispatcher.close()
    }
  }
}

async function readLimited (body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy()
      throw new UpstreamError('UPSTREAM_MALFORMED', `response body larger than ${MAX_RESPONSE_BYTES} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** At most `limit` bytes of the body; the rest is not read. */
async function readStart (body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    if (size >= limit) break
  }
  if (size >= limit) body.destroy()
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

function flattenHeaders (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

function classifyTransportError (error: unknown, upstreamRequest: UpstreamRequest): UpstreamError {
  if (error instanceof UpstreamError) return error
  const host = safeHost(upstreamRequest.url)
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError) {
    return new UpstreamError('UPSTREAM_TIMEOUT', `${host} did not answer in time`, { cause: error })
  }
  if (upstreamRequest.signal.aborted) {
    return new UpstreamError('UPSTREAM_TIMEOUT', `call to ${host} was cancelled at the request deadline`, { cause: error })
  }
  const code = (error as { code?: unknown }).code
  const reason = typeof code === 'string' ? code : (error as Error).name
  return new UpstreamError('UPSTREAM_NETWORK', `could not reach ${host} (${reason})`, { cause: error })
}

/** Only the host goes into messages: the query string of a signed URL is not for callers' eyes. */
function safeHost (url: string): string {
  try { return new URL(url).host } catch { return 'the provider' }
}
