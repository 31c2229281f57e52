import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import { callContext, type CallContext, type CallHandler, type ExecutedCall } from '../../../src/usage/execution/call-layer.js'
import { coalescingLayer } from '../../../src/usage/execution/coalescing-layer.js'

const call = (key = 'k') => ({ key, window: { from: 0, to: 1 } }) as never
const answer: ExecutedCall = { result: { records: [], requestId: 'R' }, cachedAt: null }

/** A next whose calls stay in flight until the test settles them. */
function pendingNext () {
  const calls: Array<{ context: CallContext, resolve: (executed: ExecutedCall) => void, reject: (error: unknown) => void }> = []
  const next: CallHandler = async (_call, context) => await new Promise((resolve, reject) => { calls.push({ context, resolve, reject }) })
  return { next, calls }
}

t.test('identical calls in flight are made once; each caller gets the answer; the next one after that calls again', async t => {
  const { next, calls } = pendingNext()
  const lookups: string[] = []
  const handler = coalescingLayer({ onLookup: result => lookups.push(result) })(next)
  const signal = new AbortController().signal
  const first = handler(call(), callContext(signal))
  const second = handler(call(), callContext(signal))
  const other = handler(call('other'), callContext(signal))
  t.equal(calls.length, 2, 'one call per key')
  t.same(lookups, ['miss', 'coalesced', 'miss'])
  calls[0]!.resolve(answer)
  calls[1]!.resolve(answer)
  t.equal(await first, answer)
  t.equal(await second, answer)
  await other
  const again = handler(call(), callContext(signal))
  t.equal(calls.length, 3, 'a settled call is not joined')
  calls[2]!.resolve(answer)
  await again
})

t.test('the shared call is cancelled only when every caller has given up', async t => {
  const { next, calls } = pendingNext()
  const handler = coalescingLayer()(next)
  const impatient = new AbortController()
  const patient = new AbortController()
  const first = handler(call(), callContext(impatient.signal))
  const second = handler(call(), callContext(patient.signal))
  const shared = calls[0]!.context.signal
  impatient.abort(new Error('gave up'))
  await t.rejects(first, { message: 'gave up' })
  t.equal(shared.aborted, false, 'the other caller still waits')
  patient.abort(new Error('also gave up'))
  await t.rejects(second, { message: 'also gave up' })
  t.equal(shared.aborted, true, 'nobody is left: the call is cancelled')
  calls[0]!.reject(shared.reason)
})

t.test('the waiters below: dismissed by deadline one by one, and a caller joining a backoff it cannot see fails at once', async t => {
  const { next, calls } = pendingNext()
  const handler = coalescingLayer()(next)
  const signal = new AbortController().signal
  const short = handler(call(), callContext(signal, 100))
  const long = handler(call(), callContext(signal, 1_000))
  const { waiters } = calls[0]!.context
  t.equal(waiters.deadlineAt, 1_000, 'the latest deadline of those waiting')
  const failure = new UpstreamError('UPSTREAM_THROTTLED', 'wait', { providerCode: 'Throttling.User' })
  t.equal(waiters.dismissBefore(500, failure), true, 'someone is left')
  await t.rejects(short, failure, 'the short deadline got the failure now')
  waiters.backingOff({ until: 500, failure })
  await t.rejects(handler(call(), callContext(signal, 400)), failure, 'joining: cannot see the retry')
  const patient = handler(call(), callContext(signal, 600))
  waiters.backingOff(null)
  t.equal(waiters.dismissBefore(2_000, failure), false, 'nobody could wait that long')
  await t.rejects(long, failure)
  await t.rejects(patient, failure)
  calls[0]!.reject(failure)
})
