// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * A simulated Alibaba Cloud POP gateway for one product: real signature checks, timestamp and nonce rules, STS tokens,
 * per-(key, action) QPS limits, injected faults, and JSON or XML answers. APIs plug in as named action handlers.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { systemClock, type Clock } from '../../clock.js'
import { createAliyunAuthenticator, type SimulatedAccount } from './aliyun-authentication.js'
import { aliyunErrorBody, gatewayError, type AliyunError } from './aliyun-errors.js'
import { readAliyunRequest, type ReceivedAliyunRequest } from './aliyun-request.js'
import { MALFORMED_BODY, truncateText, withWrongTypes, type HostileBody } from '../shared/corrupted-bodies.js'
import { FaultInjector, isShapeFault, type Fault } from '../shared/fault-injector.js'
import { SimulatorStats, playTransportFault, startLoopbackServer, waitSimulatedLatency, type SimulatorStartOptions, type RunningSimulator, type SimulatorCall } from '../shared/simulator-server.js'
import { createSlidingWindowLimiter } from '../shared/sliding-window-limiter.js'
import { toXmlDocument } from '../shared/xml.js'

export type { SimulatedAccount } from './aliyun-authentication.js'

export interface AliyunActionContext {
  /** API parameters from the query and form body, without common, signature or token parameters. */
  parameters: Record<string, string>
  accessKeyId: string
  /** The gateway clock, epoch milliseconds. */
  now: number
  requestId: string
}

export type AliyunActionResult = { status: 200, body: unknown } | { status: number, code: string, message: string }

export type AliyunActionHandler = (context: AliyunActionContext) => AliyunActionResult

/** The gateway's own settings; accounts, clock, latency and the QPS clock are every simulator's (SimulatorStartOptions). */
export interface AliyunGatewayOptions extends Omit<SimulatorStartOptions, 'qps'> {
  /** Product code, e.g. 'live': names the HostId (`live.aliyuncs.com`) in error bodies. */
  product: string
  version: string
  /** Each action with its QPS and how its success body is made hostile in its own shape (required: see HostileBody). */
  actions: Record<string, { handler: AliyunActionHandler, qps: number, hostile: HostileBody }>
}

type Answer = { status: number, code: string | null, headers: Record<string, string>, body: string }

const JSON_TYPE = 'application/json;charset=utf-8'
const XML_TYPE = 'text/xml;charset=utf-8'
const SUPPORTED_METHODS = new Set(['GET', 'POST'])

export async function startAliyunGateway (options: AliyunGatewayOptions): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock
  const monotonicNow = options.monotonicNow ?? (() => performance.now())
  const authenticate = createAliyunAuthenticator(options.accounts)
  const limiter = createSlidingWindowLimiter({ windowMs: 1000, now: monotonicNow })
  const faults = new FaultInjector()
  const stats = new SimulatorStats()

  /** Everything a real gateway checks, in its order; `admitted` says whether the call used QPS budget. */
  const decide = (received: ReceivedAliyunRequest, requestId: string, now: number): { result: AliyunActionResult, admitted: boolean } => {
    const refuse = (error: AliyunError): { result: AliyunActionResult, admitted: boolean } => ({ result: error, admitted: false })
    if (!SUPPORTED_METHODS.has(received.method)) return refuse(gatewayError('UnsupportedHTTPMethod'))
    // RPC-style APIs live at '/' only.
    if (received.path !== '/') return refuse(gatewayError('InvalidAction.NotFound'))
    const authentication = authenticate(received, now)
    if (!authentication.ok) return refuse(authentication.error)
    if (received.action === null || received.version === null) return refuse(gatewayError('MissingParameter'))
    if (received.version !== options.version) return refuse(gatewayError('InvalidVersion'))
    const action = Object.hasOwn(options.actions, received.action) ? options.actions[received.action] : undefined
    if (action === undefined) return refuse(gatewayError('InvalidAction.NotFound'))
    // Rejected calls do not consume budget, so the limiter only counts what it admits.
    if (!limiter.tryAcquire(`${authentication.accessKeyId}\u0000${received.action}`, action.qps)) return refuse(gatewayError('Throttling.User'))
    try {
      return { result: action.handler({ parameters: received.apiParameters, accessKeyId: authentication.accessKeyId, now, requestId }), admitted: true }
    } catch {
      return { result: gatewayError('InternalError'), admitted: true }
    }
  }

  const errorAnswer = (error: AliyunError, requestId: string): Answer => ({
    status: error.status,
    code: error.code,
    headers: { 'content-type': JSON_TYPE },
    // Always JSON, even when the success body would be XML: a choice (docs/providers/README.md#simulators).
    body: JSON.stringify(aliyunErrorBody({ product: options.product, requestId, code: error.code, message: error.message }))
  })

  const successAnswer = (received: ReceivedAliyunRequest, body: unknown, requestId: string, fault: Fault | undefined): Answer => {
    const action = received.action !== null && Object.hasOwn(options.actions, received.action) ? options.actions[received.action] : undefined
    const shaped = isShapeFault(fault) && action !== undefined && isRecord(body) ? action.hostile(structuredClone(body), fault.kind) : body
    const withRequestId = isRecord(shaped) ? { RequestId: requestId, ...shaped } : shaped
    const sent = fault?.kind === 'wrong-types' ? withWrongTypes(withRequestId) : withRequestId
    const text = received.wantsJson ? JSON.stringify(sent) : toXmlDocument(`${received.action ?? 'Unknown'}Response`, sent)
    return {
      status: 200,
      code: null,
      headers: { 'content-type': received.wantsJson ? JSON_TYPE : XML_TYPE },
      body: fault?.kind === 'truncated' ? truncateText(text) : text
    }
  }

  /** Faults that replace the answer outright; 'truncated' and 'wrong-types' alter a success instead. */
  const faultAnswer = (fault: Fault, requestId: string): Answer | null => {
    switch (fault.kind) {
      case 'throttle': {
        const answer = errorAnswer(gatewayError('Throttling.User'), requestId)
        if (fault.retryAfterMs !== undefined) answer.headers['x-acs-retry-after'] = String(fault.retryAfterMs)
        return answer
      }
      case 'server-error':
        return errorAnswer(gatewayError(fault.status === 503 ? 'ServiceUnavailable' : 'InternalError'), requestId)
      case 'auth':
        return errorAnswer(gatewayError('SignatureDoesNotMatch'), requestId)
      case 'malformed':
        // Labelled JSON on purpose: a client must not trust the content type to know the body parses.
        return { status: 200, code: null, headers: { 'content-type': JSON_TYPE }, body: MALFORMED_BODY }
      default:
        return null
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse, closed: AbortSignal): Promise<void> => {
    const monotonicAt = monotonicNow()
    const now = clock.now()
    const requestId = randomUUID().toUpperCase()
    const received = await readAliyunRequest(request)
    const record = (fields: Pick<SimulatorCall, 'status' | 'code' | 'admitted'>, fault: Fault | undefined): void => {
      stats.record({
        action: received.action ?? '',
        accessKeyId: received.claimedAccessKeyId,
        parameters: received.apiParameters,
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
      answer = 'code' in result ? errorAnswer(result, requestId) : successAnswer(received, result.body, requestId, fault)
      record({ status: answer.status, code: answer.code, admitted }, fault)
    }

    if (!(await waitSimulatedLatency(options.latencyMs, response, closed))) return
    response.writeHead(answer.status, { ...answer.headers, 'x-acs-request-id': requestId }).end(answer.body)
  }

  const server = await startLoopbackServer(handle)
  return { url: server.url, faults, stats, close: server.close }
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
