import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import { callContext, soleWaiter, type CallHandler } from '../../../src/usage/execution/call-layer.js'
import { retryLayer } from '../../../src/usage/execution/retry-layer.js'

const call = { key: 'k', window: { from: 0, to: 1 } } as never
const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }
const throttled = (retryAfterMs: number | null = null) =>
  new UpstreamError('UPSTREAM_THROTTLED', 'Throttling.User: slow down', { providerCode: 'Throttling.User', requestId: 'REQ-1', retryAfterMs })

/** Fails the first `failures` attempts with `error`, then answers. */
function flaky (failures: number, error: unknown) {
  const attempts: number[] = []
  const next: CallHandler = async (_call, context) => {
    attempts.push(context.attempt)
    if (attempts.length <= failures) throw error
    return { result: { records: [], requestId: 'OK' }, cachedAt: null }
  }
  return { next, attempts }
}

t.test('retryable failures are retried, each attempt numbered, up to the policy\'s attempts', async t => {
  let retries = 0
  const recovering = flaky(2, throttled())
  const executed = await retryLayer({ policy, onRetry: () => retries++ })(recovering.next)(call, callContext(new AbortController().signal))
  t.equal(executed.result.requestId, 'OK')
  t.same(recovering.attempts, [1, 2, 3])
  t.equal(retries, 2)
  const failing = flaky(5, throttled())
  await t.rejects(retryLayer({ policy })(failing.next)(call, callContext(new AbortController().signal)), { code: 'UPSTREAM_THROTTLED' })
  t.same(failing.attempts, [1, 2, 3])
})

t.test('a failure that is not retryable is not retried', async t => {
  const failing = flaky(1, new UpstreamError('UPSTREAM_AUTH', 'bad key'))
  await t.rejects(retryLayer({ policy })(failing.next)(call, callContext(new AbortController().signal)), { code: 'UPSTREAM_AUTH' })
  t.same(failing.attempts, [1])
})

t.test('a retry that would start after the deadline: the provider\'s error at once, no wait', async t => {
  let retries = 0
  const failing = flaky(1, throttled(60_000))
  const handler = retryLayer({ policy, onRetry: () => retries++, monotonicNow: () => 0 })(failing.next)
  const error = await handler(call, callContext(new AbortController().signal, 2_000)).catch(error => error)
  t.match(error, { code: 'UPSTREAM_THROTTLED', providerCode: 'Throttling.User', requestId: 'REQ-1', message: /not retried: the provider asks to wait 60 s/ })
  t.same(failing.attempts, [1])
  t.equal(retries, 0)
})

t.test('the waiters are told of the backoff while it lasts', async t => {
  const seen: unknown[] = []
  const waiters = { ...soleWaiter(), backingOff: (backoff: unknown) => { seen.push(backoff) } }
  const recovering = flaky(1, throttled())
  await retryLayer({ policy, monotonicNow: () => 1_000, random: () => 1 })(recovering.next)(call, { signal: new AbortController().signal, waiters, attempt: 1 })
  t.match(seen, [{ until: 1_001, failure: { code: 'UPSTREAM_THROTTLED' } }, null])
})

t.test('cancelled during the backoff: the provider\'s error, not an abort', async t => {
  const controller = new AbortController()
  const error = throttled()
  const next: CallHandler = async () => {
    setImmediate(() => controller.abort())
    throw error
  }
  await t.rejects(retryLayer({ policy: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 } })(next)(call, callContext(controller.signal)), error)
})
