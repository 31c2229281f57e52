// Provider facts: docs/providers/README.md#tencent-gateway
/**
 * A simulated Tencent Cloud API 3.0 gateway for one product: real TC3 signature checks, the 5-minute timestamp rule,
 * session tokens, per-(SecretId, action) QPS limits, injected faults. Every error, authentication and throttling
 * included, is HTTP 200 with `Response.Error`, as the real gateway answers. APIs plug in as named action handlers.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { systemClock, type Clock } from '../../clock.js'
import type { SimulatedAccount } from '../aliyun/aliyun-authentication.js'
import { MALFORMED_BODY, truncateText, withWrongTypes, type HostileBody } from '../shared/corrupted-bodies.js'
import { FaultInjector, isShapeFault, type Fault } from '../shared/fault-injector.js'
import { SimulatorStats, playTransportFault, startLoopbackServer, waitSimulatedLatency, type SimulatorStartOptions, type RunningSimulator, type SimulatorCall } from '../shared/simulator-server.js'
import { createSlidingWindowLimiter } from '../shared/sliding-window-limiter.js'
import { createTencentAuthenticator } from './tencent-authentication.js'
import { tencentErrorBody, tencentGatewayError, type TencentError } from './tencent-errors.js'
import { flattenPayload, readTencentRequest, type ReceivedTencentRequest } from './tencent-request.js'

export interface TencentActionContext {
  /** The JSON body: the API parameters. */
  payload: Record<string, unknown>
  secretId: string
  /** The gateway clock, epoch milliseconds. */
  now: number
  requestId: string
}

/** A success body (RequestId is added), or an API error answered as `Response.Error`. */
export type TencentActionResult = { body: Record<string, unknown> } | TencentError

export type TencentActionHandler = (context: TencentActionContext) => TencentActionResult

/** The gateway's own settings; accounts, clock, latency and the QPS clock are every simulator's (SimulatorStartOptions). */
export interface TencentGatewayOptions extends Omit<SimulatorStartOptions, 'qps'> {
  /** TC3 credential-scope service of the product, e.g. 'mps'. */
  service: string
  version: string
  /** Each action with its QPS and how its success body is made hostile in its own shape (required: see HostileBody). */
  actions: Record<string, { handler: TencentActionHandler, qps: number, hostile: HostileBody }>
}

interface Answer { status: number, code: string | null, body: string }

const JSON_TYPE = 'application/json'

export async function startTencentGateway (options: TencentGatewayOptions): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock
  const monotonicNow = options.monotonicNow ?? (() => performance.now())
  const authenticate = createTencentAuthenticator(options.accounts, options.service)
  const limiter = createSlidingWindowLimiter({ windowMs: 1000, now: monotonicNow })
  const faults = new FaultInjector()
  const stats = new SimulatorStats()

  /** Everything the gateway checks, in its order; `admitted` says whether the call used QPS budget. */
  const decide = (received: ReceivedTencentRequest, requestId: string, now: number): { result: TencentActionResult, admitted: boolean } => {
    const refuse = (error: TencentError): { result: TencentActionResult, admitted: boolean } => ({ result: error, admitted: false })
    // GET with a form query exists in API 3.0, but nothing here needs it; only signed JSON POSTs are simulated.
    if (received.method !== 'POST') return refuse(tencentGatewayError('UnsupportedProtocol'))
    if (received.action === null) return refuse(tencentGatewayError('MissingParameter', 'X-TC-Action'))
    const authentication = authenticate(received, now)
    if (!authentication.ok) return refuse(authentication.error)
    if (received.version === null) return refuse(tencentGatewayError('MissingParameter', 'X-TC-Version'))
    if (received.version !== options.version) return refuse(tencentGatewayError('NoSuchVersion', received.version))
    const action = Object.hasOwn(options.actions, received.action) ? options.actions[received.action] : undefined
    if (action === undefined) return refuse(tencentGatewayError('InvalidAction', received.action))
    // Rejected calls do not consume budget, so the limiter only counts what it admits.
    if (!limiter.tryAcquire(`${authentication.secretId}\u0000${received.action}`, action.qps)) return refuse(tencentGatewayError('RequestLimitExceeded'))
    if (received.payload === null) return { result: tencentGatewayError('InvalidParameter'), admitted: true }
    try {
      return { result: action.handler({ payload: received.payload, secretId: authentication.secretId, now, requestId }), admitted: true }
    } catch {
      return { result: tencentGatewayError('InternalError'), admitted: true }
    }
  }

  const errorAnswer = (error: TencentError, requestId: string, status = 200): Answer => ({
    status, code: error.code, body: JSON.stringify(tencentErrorBody(requestId, error))
  })

  const successAnswer = (action: string | null, body: Record<string, unknown>, requestId: string, fault: Fault | undefined): Answer => {
    const hostile = action !== null && Object.hasOwn(options.actions, action) ? options.actions[action]!.hostile : undefined
    const shaped = isShapeFault(fault) && hostile !== undefined ? hostile(structuredClone(body), fault.kind) : body
    const response = { ...shaped, RequestId: requestId }
    const sent = { Response: fault?.kind === 'wrong-types' ? withWrongTypes(response) : response }
    const text = JSON.stringify(sent)
    return { status: 200, code: null, body: fault?.kind === 'truncated' ? truncateText(text) : text }
  }

  /** Faults that replace the answer outright; 'truncated' and 'wrong-types' alter a success instead. */
  const faultAnswer = (fault: Fault, requestId: string): Answer | null => {
    switch (fault.kind) {
      case 'throttle':
        // Tencent sends no retry-after hint; retryAfterMs has no Tencent equivalent and is ignored.
        return errorAnswer(tencentGatewayError('RequestLimitExceeded'), requestId)
      case 'server-error':
        // No status: the API's own InternalError, in a 200. A status: a real 5xx, as a load balancer in front sends.
        if (fault.status === undefined) return errorAnswer(tencentGatewayError('InternalError'), requestId)
        return errorAnswer(tencentGatewayError(fault.status === 503 ? 'ServiceUnavailable' : 'InternalError'), requestId, fault.status)
      case 'auth':
        return errorAnswer(tencentGatewayError('AuthFailure.SignatureFailure'), requestId)
      case 'malformed':
        // Labelled JSON on purpose: a client must not trust the content type to know the body parses.
        return { status: 200, code: null, body: MALFORMED_BODY }
      default:
        return null
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse, closed: AbortSignal): Promise<void> => {
    const monotonicAt = monotonicNow()
    const now = clock.now()
    const requestId = randomUUID()
    const received = await readTencentRequest(request)
    const record = (fields: Pick<SimulatorCall, 'status' | 'code' | 'admitted'>, fault: Fault | undefined): void => {
      stats.record({
        action: received.action ?? '',
        accessKeyId: received.claimedSecretId,
        parameters: flattenPayload(received.payload),
        at: now,
        monotonicAt,
        fault: fault?.kind ?? null,
        ...fields
      })
    }

    const fault = faults.next()
    if (!(await playTransportFault(fault, { request, response, closed }, () => record({ status: 0, code: null, admitted: false }, fault)))) return

    let answer = fault !== undefined ? faultAnswer(fault, requestId) : null
    if (answer !== null) {
      record({ status: answer.status, code: answer.code, admitted: false }, fault)
    } else {
      const { result, admitted } = decide(received, requestId, now)
      // A truncated, wrong-types or shape fault meeting an error answer is spent without effect: errors are not corrupted.
      answer = 'code' in result ? errorAnswer(result, requestId) : successAnswer(received.action, result.body, requestId, fault)
      record({ status: answer.status, code: answer.code, admitted }, fault)
    }

    if (!(await waitSimulatedLatency(options.latencyMs, response, closed))) return
    response.writeHead(answer.status, { 'content-type': JSON_TYPE, 'x-tc-traceid': requestId }).end(answer.body)
  }

  const server = await startLoopbackServer(handle)
  return { url: server.url, faults, stats, close: server.close }
}
