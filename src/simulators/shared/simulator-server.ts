// Provider facts: docs/providers/README.md#simulators
/**
 * What every simulated provider shares: a real HTTP server on loopback (port 0) that can be closed promptly even
 * with hung calls open, and a log of the calls it answered, for tests to assert on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { setTimeout as sleepPromise } from 'node:timers/promises'
import type { Clock } from '../../clock.js'
import type { Fault, FaultInjector } from './fault-injector.js'
import type { Restatements } from './restatements.js'

export interface SimulatorCall {
  action: string
  accessKeyId: string | null
  /** The API parameters, without signature, credentials or tokens. */
  parameters: Record<string, string>
  /** Injected-clock milliseconds: what the provider believes the time is. */
  at: number
  /** Real monotonic milliseconds (performance.now), because a fixed test clock cannot measure rates. */
  monotonicAt: number
  /** 0 when nothing was answered (hang, reset). */
  status: number
  code: string | null
  /** Passed the rate limiter and so consumed QPS budget. */
  admitted: boolean
  /** The injected fault this call met, if any. */
  fault: Fault['kind'] | null
}

const THROTTLED_CODES = new Set(['Throttling.User', 'Throttling', 'Throttling.Api', 'RequestLimitExceeded'])

export class SimulatorStats {
  calls: SimulatorCall[] = []

  record (call: SimulatorCall): void {
    this.calls.push(call)
  }

  reset (): void {
    this.calls = []
  }

  count (action?: string): number {
    return this.callsFor(action).length
  }

  /** Most calls accepted (not rejected by the limiter) within any 1-second window, optionally for one action. */
  maxCallsPerSecond (action?: string): number {
    const times = this.callsFor(action).filter(call => call.admitted).map(call => call.monotonicAt).sort((left, right) => left - right)
    let most = 0
    let first = 0
    for (let last = 0; last < times.length; last += 1) {
      while ((times[last] ?? 0) - (times[first] ?? 0) >= 1000) first += 1
      most = Math.max(most, last - first + 1)
    }
    return most
  }

  /** Calls refused for flow control, whether by the limiter or by an injected throttle fault. */
  throttled (action?: string): number {
    return this.callsFor(action).filter(call => call.code !== null && THROTTLED_CODES.has(call.code)).length
  }

  private callsFor (action: string | undefined): SimulatorCall[] {
    return action === undefined ? this.calls : this.calls.filter(call => call.action === action)
  }
}

export interface RunningSimulator {
  /** http://127.0.0.1:PORT */
  url: string
  faults: FaultInjector
  stats: SimulatorStats
  close(): Promise<void>
}

/** Handles one request; `closed` aborts when the server is closing, so delays end instead of holding the process. */
export type LoopbackHandler = (request: IncomingMessage, response: ServerResponse, closed: AbortSignal) => Promise<void>

/** `listen`: where to listen; port 0 on loopback unless given (`npm run simulate` chooses ports and interfaces). */
export async function startLoopbackServer (handler: LoopbackHandler, listen: { port?: number, host?: string } = {}): Promise<{ url: string, close(): Promise<void> }> {
  const closing = new AbortController()
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    handler(request, response, closing.signal).catch(() => {
      // A bug in a simulator must show as a 500, not as a hung test.
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('simulator failure')
      } else {
        response.destroy()
      }
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('loopback server has no port')

  let closed: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closed ??= new Promise<void>(resolve => {
      closing.abort()
      server.close(() => resolve())
      // Hung and keep-alive sockets would otherwise keep close() (and the test process) waiting.
      for (const socket of sockets) socket.destroy()
    })
    return await closed
  }
  return { url: `http://127.0.0.1:${address.port}`, close }
}

/** Waits, unless the server closes first; returns false when it did. */
export async function sleepUnlessClosed (milliseconds: number, closed: AbortSignal): Promise<boolean> {
  if (closed.aborted) return false
  if (milliseconds <= 0) return true
  try {
    await sleepPromise(milliseconds, undefined, { signal: closed })
    return true
  } catch {
    return false
  }
}

/** A key pair a simulated gateway accepts (an AccessKey or a SecretId); a token makes it temporary credentials. */
export interface SimulatedAccount { accessKeyId: string, accessKeySecret: string, securityToken?: string }

/** What every simulator starter takes; the embedded default and tests call each kind's starter with it. */
export interface SimulatorStartOptions {
  accounts: SimulatedAccount[]
  clock?: Clock
  /** Overrides the API's documented QPS. */
  qps?: number
  /** Uniform random delay before every answer. */
  latencyMs?: { min: number, max: number }
  /** Measures QPS windows; real monotonic time unless a test freezes it. */
  monotonicNow?: () => number
  /** Port to listen on; 0 (any free one) unless given. */
  port?: number
  /** Interface to listen on; loopback unless given. The URL always names loopback. */
  host?: string
  /** Settled numbers the test has the provider change (kinds that support it say so in their data file). */
  restatements?: Restatements
}

/**
 * What a starter passes through to its gateway unchanged: everything of SimulatorStartOptions but the QPS, which
 * each action sets (the override or the API's documented one).
 */
export function gatewayOptionsOf (options: SimulatorStartOptions): Omit<SimulatorStartOptions, 'qps'> {
  const { accounts, clock, latencyMs, monotonicNow, port, host } = options
  return { accounts, clock, latencyMs, monotonicNow, port, host }
}

/**
 * Plays the faults that happen below the API (no answer, a dropped connection, a slow answer). Returns false
 * when the call is over and nothing more must be written; `record` notes an unanswered call.
 */
export async function playTransportFault (
  fault: Fault | undefined,
  exchange: { request: IncomingMessage, response: ServerResponse, closed: AbortSignal },
  recordUnanswered: () => void
): Promise<boolean> {
  if (fault?.kind === 'hang') {
    // Nothing is written: the socket stays open until the client gives up or close() destroys it.
    recordUnanswered()
    return false
  }
  if (fault?.kind === 'reset') {
    recordUnanswered()
    exchange.request.socket.destroy()
    return false
  }
  if (fault?.kind === 'slow' && !(await sleepUnlessClosed(fault.delayMs, exchange.closed))) {
    exchange.response.destroy()
    return false
  }
  return true
}

/** Waits the configured simulated latency; false (and the response destroyed) when the server closed meanwhile. */
export async function waitSimulatedLatency (latencyMs: { min: number, max: number } | undefined, response: ServerResponse, closed: AbortSignal): Promise<boolean> {
  const delay = latencyMs === undefined ? 0 : latencyMs.min + Math.random() * Math.max(0, latencyMs.max - latencyMs.min)
  if (await sleepUnlessClosed(delay, closed)) return true
  response.destroy()
  return false
}

/** The request body as text; a body beyond `maxBytes` destroys the request rather than filling memory. */
export async function readRequestBody (request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > maxBytes) {
      request.destroy()
      throw new Error('request body too large')
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
