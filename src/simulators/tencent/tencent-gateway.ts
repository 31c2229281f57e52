// Provider facts: docs/providers/README.md#tencent-gateway
/**
 * A simulated Tencent Cloud API 3.0 gateway for one product: real TC3 signature checks, the 5-minute timestamp rule,
 * session tokens, per-(SecretId, action) QPS limits, injected faults. Every error, authentication and throttling
 * included, is HTTP 200 with `Response.Error`, as the real gateway answers. APIs plug in as named action handlers.
 */
import { randomUUID } from 'node:crypto'
import { MALFORMED_BODY, truncateText, withWrongTypes, type HostileBody } from '../shared/corrupted-bodies.js'
import { isShapeFault, type Fault } from '../shared/fault-injector.js'
import { startSimulatedGateway, type GatewayAdmission, type GatewayAnswer } from '../shared/gateway-pipeline.js'
import type { SimulatorStartOptions, RunningSimulator } from '../shared/simulator-server.js'
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
export type TencentActionResult = TencentSuccess | TencentError

interface TencentSuccess { body: Record<string, unknown> }

export type TencentActionHandler = (context: TencentActionContext) => TencentActionResult

/** The gateway's own settings; accounts, clock, latency and the QPS clock are every simulator's (SimulatorStartOptions). */
export interface TencentGatewayOptions extends Omit<SimulatorStartOptions, 'qps'> {
  /** TC3 credential-scope service of the product, e.g. 'mps'. */
  service: string
  version: string
  /** Each action with its QPS and how its success body is made hostile in its own shape (required: see HostileBody). */
  actions: Record<string, { handler: TencentActionHandler, qps: number, hostile: HostileBody }>
}

const JSON_TYPE = 'application/json'

export async function startTencentGateway (options: TencentGatewayOptions): Promise<RunningSimulator> {
  const authenticate = createTencentAuthenticator(options.accounts, options.service)

  /** The gateway's checks before the action lookup, in its order. */
  const admit = (received: ReceivedTencentRequest, now: number): GatewayAdmission<TencentError> => {
    const refuse = (error: TencentError): GatewayAdmission<TencentError> => ({ ok: false, error })
    // GET with a form query exists in API 3.0, but nothing here needs it; only signed JSON POSTs are simulated.
    if (received.method !== 'POST') return refuse(tencentGatewayError('UnsupportedProtocol'))
    if (received.action === null) return refuse(tencentGatewayError('MissingParameter', 'X-TC-Action'))
    const authentication = authenticate(received, now)
    if (!authentication.ok) return refuse(authentication.error)
    if (received.version === null) return refuse(tencentGatewayError('MissingParameter', 'X-TC-Version'))
    if (received.version !== options.version) return refuse(tencentGatewayError('NoSuchVersion', received.version))
    return { ok: true, accessKeyId: authentication.secretId, action: received.action }
  }

  const errorAnswer = (error: TencentError, requestId: string, status = 200): GatewayAnswer => ({
    status, code: error.code, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(tencentErrorBody(requestId, error))
  })

  const successAnswer = (action: string | null, body: Record<string, unknown>, requestId: string, fault: Fault | undefined): GatewayAnswer => {
    const hostile = action !== null && Object.hasOwn(options.actions, action) ? options.actions[action]!.hostile : undefined
    const shaped = isShapeFault(fault) && hostile !== undefined ? hostile(structuredClone(body), fault.kind) : body
    const response = { ...shaped, RequestId: requestId }
    const sent = { Response: fault?.kind === 'wrong-types' ? withWrongTypes(response) : response }
    const text = JSON.stringify(sent)
    return { status: 200, code: null, headers: { 'content-type': JSON_TYPE }, body: fault?.kind === 'truncated' ? truncateText(text) : text }
  }

  /** Faults that replace the answer outright; 'truncated' and 'wrong-types' alter a success instead. */
  const faultAnswer = (fault: Fault, requestId: string): GatewayAnswer | null => {
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
        return { status: 200, code: null, headers: { 'content-type': JSON_TYPE }, body: MALFORMED_BODY }
      default:
        return null
    }
  }

  return await startSimulatedGateway<ReceivedTencentRequest, TencentActionHandler, TencentSuccess, TencentError>({
    read: readTencentRequest,
    describe: received => ({ action: received.action ?? '', accessKeyId: received.claimedSecretId, parameters: flattenPayload(received.payload) }),
    newRequestId: () => randomUUID(),
    requestIdHeader: 'x-tc-traceid',
    admit,
    // Checked after the rate limit, so a body that is no JSON object has used its budget.
    dispatch: (handler, received, { accessKeyId, now, requestId }) => received.payload === null
      ? tencentGatewayError('InvalidParameter')
      : handler({ payload: received.payload, secretId: accessKeyId, now, requestId }),
    unknownAction: action => tencentGatewayError('InvalidAction', action),
    throttled: () => tencentGatewayError('RequestLimitExceeded'),
    internalError: () => tencentGatewayError('InternalError'),
    signatureMismatch: () => tencentGatewayError('AuthFailure.SignatureFailure'),
    secretOf: secretId => options.accounts.find(account => account.accessKeyId === secretId)?.accessKeySecret,
    errorAnswer: (error, requestId) => errorAnswer(error, requestId),
    successAnswer: (received, success, requestId, fault) => successAnswer(received.action, success.body, requestId, fault),
    faultAnswer
  }, options)
}
