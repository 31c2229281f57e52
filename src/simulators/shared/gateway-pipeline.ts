/**
 * The request pipeline every simulated cloud gateway shares: each call is recorded, meets the next injected fault,
 * is checked (who calls, which action, within its QPS), answered after the simulated latency. A cloud supplies only
 * its specifics: how a request is read and authenticated, which errors it answers with, how answers look on the wire.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { systemClock } from '../../clock.js'
import { FaultInjector, type Fault } from './fault-injector.js'
import { hugeMessage, secretEchoMessage } from './hostile-messages.js'
import { SimulatorStats, playTransportFault, startLoopbackServer, waitSimulatedLatency, type RunningSimulator, type SimulatorCall, type SimulatorStartOptions } from './simulator-server.js'
import { createSlidingWindowLimiter } from './sliding-window-limiter.js'

export interface GatewayAnswer { status: number, code: string | null, headers: Record<string, string>, body: string }

/** Who calls which action once every check before the action lookup passed, or the refusal. */
/** What every cloud's errors carry: the pipeline rewrites the message of hostile-message faults. */
export interface GatewayFailure { code: string, message: string }

export type GatewayAdmission<Failure> = { ok: true, accessKeyId: string, action: string } | { ok: false, error: Failure }

export interface GatewayCloud<Received, Handler, Success, Failure extends GatewayFailure> {
  read: (request: IncomingMessage) => Promise<Received>
  /** What the call log notes of a request, whatever its fate. */
  describe: (received: Received) => Pick<SimulatorCall, 'action' | 'accessKeyId' | 'parameters'>
  newRequestId: () => string
  /** The response header the request id travels in. */
  requestIdHeader: string
  /** The checks before the action lookup, in the cloud's own order (method, signature, timestamp, version). */
  admit: (received: Received, now: number) => GatewayAdmission<Failure>
  /** Runs an admitted call's handler; anything it throws is answered as the cloud's internal error. */
  dispatch: (handler: Handler, received: Received, context: { accessKeyId: string, now: number, requestId: string }) => Success | Failure
  unknownAction: (action: string) => Failure
  throttled: () => Failure
  internalError: () => Failure
  /** The error for a request signed with the wrong secret. */
  signatureMismatch: () => Failure
  /** The secret of a simulated account, so a 'secret-echo' fault can echo it. */
  secretOf: (accessKeyId: string) => string | undefined
  errorAnswer: (error: Failure, requestId: string) => GatewayAnswer
  /** The success on the wire; a 'truncated' or 'wrong-types' fault corrupts it here. */
  successAnswer: (received: Received, success: Success, requestId: string, fault: Fault | undefined) => GatewayAnswer
  /** The answer for a fault that replaces it outright, or null when the fault alters a success or is not the API's. */
  faultAnswer: (fault: Fault, requestId: string) => GatewayAnswer | null
}

/** The gateway's own settings; accounts belong to the cloud's authenticator. */
export interface GatewayOptions<Handler> extends Omit<SimulatorStartOptions, 'qps' | 'accounts'> {
  actions: Record<string, { handler: Handler, qps: number }>
}

interface Decision<Success, Failure> { result: Success | Failure, admitted: boolean }

export async function startSimulatedGateway<Received, Handler, Success, Failure extends GatewayFailure> (
  cloud: GatewayCloud<Received, Handler, Success, Failure>,
  options: GatewayOptions<Handler>
): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock
  const monotonicNow = options.monotonicNow ?? (() => performance.now())
  const limiter = createSlidingWindowLimiter({ windowMs: 1000, now: monotonicNow })
  const faults = new FaultInjector()
  const stats = new SimulatorStats()
  const isFailure = (result: Success | Failure): result is Failure => typeof result === 'object' && result !== null && 'code' in result

  /** Everything the gateway checks, in its order; `admitted` says whether the call used QPS budget. */
  const decide = (received: Received, requestId: string, now: number): Decision<Success, Failure> => {
    const refuse = (error: Failure): Decision<Success, Failure> => ({ result: error, admitted: false })
    const admission = cloud.admit(received, now)
    if (!admission.ok) return refuse(admission.error)
    const action = Object.hasOwn(options.actions, admission.action) ? options.actions[admission.action] : undefined
    if (action === undefined) return refuse(cloud.unknownAction(admission.action))
    // Rejected calls do not consume budget, so the limiter only counts what it admits.
    if (!limiter.tryAcquire(`${admission.accessKeyId}\u0000${admission.action}`, action.qps)) return refuse(cloud.throttled())
    try {
      return { result: cloud.dispatch(action.handler, received, { accessKeyId: admission.accessKeyId, now, requestId }), admitted: true }
    } catch {
      return { result: cloud.internalError(), admitted: true }
    }
  }

  /** Hostile messages in the cloud's own error body: answered here, so no cloud can leave them out. */
  const hostileMessageAnswer = (fault: Fault, received: Received, requestId: string): GatewayAnswer | null => {
    if (fault.kind === 'huge-message') return cloud.errorAnswer({ ...cloud.internalError(), message: hugeMessage() }, requestId)
    if (fault.kind !== 'secret-echo') return null
    const error = cloud.signatureMismatch()
    const accessKeyId = cloud.describe(received).accessKeyId
    const secret = accessKeyId === null ? undefined : cloud.secretOf(accessKeyId)
    return cloud.errorAnswer(secret === undefined ? error : { ...error, message: secretEchoMessage(secret) }, requestId)
  }

  const handle = async (request: IncomingMessage, response: ServerResponse, closed: AbortSignal): Promise<void> => {
    const monotonicAt = monotonicNow()
    const now = clock.now()
    const requestId = cloud.newRequestId()
    const received = await cloud.read(request)
    const record = (fields: Pick<SimulatorCall, 'status' | 'code' | 'admitted'>, fault: Fault | undefined): void => {
      stats.record({ ...cloud.describe(received), at: now, monotonicAt, fault: fault?.kind ?? null, ...fields })
    }

    const fault = faults.next()
    if (!(await playTransportFault(fault, { request, response, closed }, () => record({ status: 0, code: null, admitted: false }, fault)))) return

    let answer = fault !== undefined ? hostileMessageAnswer(fault, received, requestId) ?? cloud.faultAnswer(fault, requestId) : null
    if (answer !== null) {
      record({ status: answer.status, code: answer.code, admitted: false }, fault)
    } else {
      const { result, admitted } = decide(received, requestId, now)
      // A truncated or wrong-types fault meeting an error answer is spent without effect: errors are not corrupted.
      answer = isFailure(result) ? cloud.errorAnswer(result, requestId) : cloud.successAnswer(received, result, requestId, fault)
      record({ status: answer.status, code: answer.code, admitted }, fault)
    }

    if (!(await waitSimulatedLatency(options.latencyMs, response, closed))) return
    response.writeHead(answer.status, { ...answer.headers, [cloud.requestIdHeader]: requestId }).end(answer.body)
  }

  const server = await startLoopbackServer(handle, { port: options.port, host: options.host })
  return { url: server.url, faults, stats, close: server.close }
}
