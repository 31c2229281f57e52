import t from 'tap'
import { CallBudget } from '../../../src/usage/call-budget.js'
import { budgetLayer } from '../../../src/usage/execution/budget-layer.js'
import { callContext, type CallHandler } from '../../../src/usage/execution/call-layer.js'

const call = { key: 'k', window: { from: 0, to: 1 } } as never

t.test('each call waits for a place in the budget, held until its answer is in', async t => {
  const releases: Array<() => void> = []
  const started: number[] = []
  const next: CallHandler = async (_call, context) => {
    started.push(context.attempt)
    await new Promise<void>(resolve => releases.push(resolve))
    return { result: { records: [], requestId: null }, cachedAt: null }
  }
  const handler = budgetLayer(new CallBudget(1000, 1))(next)
  const signal = new AbortController().signal
  const first = handler(call, { ...callContext(signal), attempt: 1 })
  const second = handler(call, { ...callContext(signal), attempt: 2 })
  while (started.length < 1) await new Promise(resolve => setImmediate(resolve))
  await new Promise(resolve => setImmediate(resolve))
  t.same(started, [1], 'a concurrency of one: the second waits')
  releases[0]!()
  await first
  while (started.length < 2) await new Promise(resolve => setImmediate(resolve))
  releases[1]!()
  await second
  t.same(started, [1, 2])
})

t.test('the budget is given the call\'s signal: an aborted call does not wait for a slot', async t => {
  const signals: AbortSignal[] = []
  const budget = { run: async <T> (signal: AbortSignal, attempt: () => Promise<T>): Promise<T> => { signals.push(signal); return await attempt() } }
  const controller = new AbortController()
  await budgetLayer(budget)(async () => ({ result: { records: [], requestId: null }, cachedAt: null }))(call, callContext(controller.signal))
  t.equal(signals[0], controller.signal)
  controller.abort()
  await t.rejects(budgetLayer(new CallBudget(1, 1))(async () => { throw new Error('not reached') })(call, callContext(controller.signal)), { name: 'AbortError' })
})
