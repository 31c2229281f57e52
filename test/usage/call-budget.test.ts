import t from 'tap'
import { BudgetRegistry } from '../../src/usage/call-budget.js'

const source = (id: string, overrides: { kind?: string, accessKeyId?: string, endpoint?: string, qps?: number, concurrency?: number } = {}) => ({
  id,
  kind: overrides.kind ?? 'aliyun.live-producer',
  endpoint: overrides.endpoint ?? 'https://live.aliyuncs.com',
  qps: overrides.qps ?? 1,
  concurrency: overrides.concurrency ?? 4,
  credentials: { accessKeyId: overrides.accessKeyId ?? 'LTAIaccountone', accessKeySecret: 'secret' }
})

/** True when a call on `second` has to wait for the call in flight on `first` (a 1-QPS budget has one slot). */
async function blocks (registry: BudgetRegistry, first: ReturnType<typeof source>, second: ReturnType<typeof source>): Promise<boolean> {
  let finish!: () => void
  const inFlight = registry.budgetFor(first).run(new AbortController().signal, async () => await new Promise<void>(resolve => { finish = resolve }))
  const waiting = new AbortController()
  const next = registry.budgetFor(second).run(waiting.signal, async () => 'ran')
  setTimeout(() => waiting.abort(), 100)
  const outcome = await next.then(() => 'ran', () => 'blocked')
  finish()
  await inFlight
  return outcome === 'blocked'
}

t.test('sources of one access key and API share one budget, whatever their endpoint or settings', async t => {
  const shanghai = source('shanghai')
  const regional = source('regional', { endpoint: 'https://live.cn-beijing.aliyuncs.com' })
  const registry = BudgetRegistry.inProcess([shanghai, regional])
  t.equal(registry.budgetFor(shanghai), registry.budgetFor(regional))
  t.ok(await blocks(registry, shanghai, regional), 'a call in flight on one holds the other back')
  t.same(registry.conflicts, [])
})

for (const [what, overrides] of [['access keys', { accessKeyId: 'LTAIaccounttwo' }], ['APIs of one account', { kind: 'aliyun.live-grtn' }]] as const) {
  t.test(`two different ${what} do not share a budget`, async t => {
    const one = source('one')
    const other = source('other', overrides)
    const registry = BudgetRegistry.inProcess([one, other])
    t.not(registry.budgetFor(one), registry.budgetFor(other))
    t.notOk(await blocks(registry, one, other), 'each calls at its own pace')
  })
}

t.test('where sources sharing a budget disagree, the smallest qps and concurrency apply, and the conflict is reported', async t => {
  const registry = BudgetRegistry.inProcess([source('a', { qps: 5, concurrency: 2 }), source('b', { qps: 3, concurrency: 4 }), source('c', { accessKeyId: 'LTAIother', qps: 9 })])
  const budget = registry.budgetFor(source('a'))
  t.same([budget.qps, budget.concurrency], [3, 2])
  t.same(registry.conflicts, [{ kind: 'aliyun.live-producer', sources: ['a', 'b'], qps: 3, concurrency: 2 }])
  t.equal(registry.budgetFor(source('c', { accessKeyId: 'LTAIother' })).qps, 9, 'another account keeps its own')
  t.throws(() => registry.budgetFor(source('unknown', { accessKeyId: 'LTAInever' })), /not among the sources/)
})
