// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * A simulated Alibaba Cloud POP gateway for one product: real signature checks, timestamp and nonce rules, STS tokens,
 * per-(key, action) QPS limits, injected faults, and JSON or XML answers. APIs plug in as named action handlers.
 */
import { randomUUID } from 'node:crypto'
import { createAliyunAuthenticator } from './aliyun-authentication.js'
import { aliyunErrorBody, gatewayError, type AliyunError } from './aliyun-errors.js'
import { readAliyunRequest, type ReceivedAliyunRequest } from './aliyun-request.js'
import { MALFORMED_BODY, truncateText, withWrongTypes, type HostileBody } from '../shared/corrupted-bodies.js'
import { isShapeFault, type Fault } from '../shared/fault-injector.js'
import { startSimulatedGateway, type GatewayAdmission, type GatewayAnswer } from '../shared/gateway-pipeline.js'
import type { SimulatorStartOptions, RunningSimulator } from '../shared/simulator-server.js'
import { toXmlDocument } from '../shared/xml.js'

export interface AliyunActionContext {
  /** API parameters from the query and form body, without common, signature or token parameters. */
  parameters: Record<string, string>
  accessKeyId: string
  /** The gateway clock, epoch milliseconds. */
  now: number
  requestId: string
}

export type AliyunActionResult = AliyunSuccess | AliyunError

interface AliyunSuccess { status: 200, body: unknown }

export type AliyunActionHandler = (context: AliyunActionContext) => AliyunActionResult

/** The gateway's own settings; accounts, clock, latency and the QPS clock are every simulator's (SimulatorStartOptions). */
export interface AliyunGatewayOptions extends Omit<SimulatorStartOptions, 'qps'> {
  /** Product code, e.g. 'live': names the HostId (`live.aliyuncs.com`) in error bodies. */
  product: string
  version: string
  /** Each action with its QPS and how its success body is made hostile in its own shape (required: see HostileBody). */
  actions: Record<string, { handler: AliyunActionHandler, qps: number, hostile: HostileBody }>
}

const JSON_TYPE = 'application/json;charset=utf-8'
const XML_TYPE = 'text/xml;charset=utf-8'
const SUPPORTED_METHODS = new Set(['GET', 'POST'])

export async function startAliyunGateway (options: AliyunGatewayOptions): Promise<RunningSimulator> {
  const authenticate = createAliyunAuthenticator(options.accounts)

  /** The POP gateway's checks before the action lookup, in its order. */
  const admit = (received: ReceivedAliyunRequest, now: number): GatewayAdmission<AliyunError> => {
    const refuse = (error: AliyunError): GatewayAdmission<AliyunError> => ({ ok: false, error })
    if (!SUPPORTED_METHODS.has(received.method)) return refuse(gatewayError('UnsupportedHTTPMethod'))
    // RPC-style APIs live at '/' only.
    if (received.path !== '/') return refuse(gatewayError('InvalidAction.NotFound'))
    const authentication = authenticate(received, now)
    if (!authentication.ok) return refuse(authentication.error)
    if (received.action === null || received.version === null) return refuse(gatewayError('MissingParameter'))
    if (received.version !== options.version) return refuse(gatewayError('InvalidVersion'))
    return { ok: true, accessKeyId: authentication.accessKeyId, action: received.action }
  }

  const errorAnswer = (error: AliyunError, requestId: string): GatewayAnswer => ({
    status: error.status,
    code: error.code,
    headers: { 'content-type': JSON_TYPE },
    // Always JSON, even when the success body would be XML: a choice (docs/providers/README.md#simulators).
    body: JSON.stringify(aliyunErrorBody({ product: options.product, requestId, code: error.code, message: error.message }))
  })

  const successAnswer = (received: ReceivedAliyunRequest, body: unknown, requestId: string, fault: Fault | undefined): GatewayAnswer => {
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
  const faultAnswer = (fault: Fault, requestId: string): GatewayAnswer | null => {
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

  return await startSimulatedGateway<ReceivedAliyunRequest, AliyunActionHandler, AliyunSuccess, AliyunError>({
    read: readAliyunRequest,
    describe: received => ({ action: received.action ?? '', accessKeyId: received.claimedAccessKeyId, parameters: received.apiParameters }),
    newRequestId: () => randomUUID().toUpperCase(),
    requestIdHeader: 'x-acs-request-id',
    admit,
    dispatch: (handler, received, context) => handler({ parameters: received.apiParameters, ...context }),
    unknownAction: () => gatewayError('InvalidAction.NotFound'),
    throttled: () => gatewayError('Throttling.User'),
    internalError: () => gatewayError('InternalError'),
    signatureMismatch: () => gatewayError('SignatureDoesNotMatch'),
    secretOf: accessKeyId => options.accounts.find(account => account.accessKeyId === accessKeyId)?.accessKeySecret,
    errorAnswer,
    successAnswer: (received, success, requestId, fault) => successAnswer(received, success.body, requestId, fault),
    faultAnswer
  }, options)
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
