import t from 'tap'
import { SyncSlots } from '../../src/ledger-sync/sync-slots.js'

const source = (kind: string, accessKeyId: string) => ({ kind, credentials: { accessKeyId, accessKeySecret: 'secret-of-' + accessKeyId } })

t.test('one sync call in flight per account and API; different accounts or APIs go side by side', async t => {
  const slots = new SyncSlots()
  const inFlight = new Map<string, number>()
  let most = 0
  const releases: Array<() => void> = []
  const call = (key: string) => async () => {
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1)
    most = Math.max(most, inFlight.get(key)!)
    await new Promise<void>(resolve => releases.push(resolve))
    inFlight.set(key, inFlight.get(key)! - 1)
  }
  const sameBudgetA = source('aliyun.live-grtn', 'AK1')
  const sameBudgetB = { ...source('aliyun.live-grtn', 'AK1'), credentials: { accessKeyId: 'AK1', accessKeySecret: 'rotated' } }
  const runs = [
    slots.run(sameBudgetA, call('grtn/AK1')),
    slots.run(sameBudgetB, call('grtn/AK1')),
    slots.run(source('aliyun.live-grtn', 'AK2'), call('grtn/AK2')),
    slots.run(source('aliyun.live-producer', 'AK1'), call('producer/AK1'))
  ]
  await new Promise(resolve => setImmediate(resolve))
  t.equal(releases.length, 3, 'the second call on one budget waits; the other budgets\' calls run')
  releases.shift()!()
  await new Promise(resolve => setImmediate(resolve))
  t.equal(releases.length, 3, 'once the first ends, the second starts')
  while (releases.length > 0) releases.shift()!()
  await Promise.all(runs)
  t.equal(most, 1, 'never two at once on one budget')
})
