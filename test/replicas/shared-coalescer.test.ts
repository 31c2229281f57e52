import { setMaxListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { UpstreamError } from '../../src/errors.js'
import { SharedCoalescer } from '../../src/replicas/shared-coalescer.js'
import type { FetchResult } from '../../src/usage/source-adapter.js'
import { cleanUpKeys, openConnection, openDeadConnection, skipWithoutRedis, uniquePrefix } from '../support/redis-test-support.js'

const answer: FetchResult = {
  records: [
    { metric: 'transcode.duration', start: 1_764_547_200_000, end: 1_764_550_800_000, value: Number.MAX_SAFE_INTEGER, dimensions: { tier: 'hd', region: 'cn-shanghai' } },
    { metric: 'transcode.duration', start: 1_764_550_800_000, end: 1_764_554_400_000, value: 0, dimensions: {} }
  ],
  requestId: 'A1B2-C3D4'
}

/** One signal shared by many joins, as one request's signal is shared by its calls. */
const never = new AbortController().signal
setMaxListeners(0, never)

/**
 * A replica that leads `key` and dies mid-call: its call never answers and its connection is closed, so it stops
 * renewing the lease. `leaderGone` ends the abandoned call when the test is done with it.
 */
async function leaderThatDies (t: Parameters<typeof openConnection>[0], keyPrefix: string, leaseMs: number, key: string) {
  const doomedConnection = await openConnection(t)
  const leader = new SharedCoalescer(doomedConnection, { keyPrefix, leaseMs, pollMs: 20 })
  let started!: () => void
  const leaderStarted = new Promise<void>(resolve => { started = resolve })
  const leaderGone = new AbortController()
  const abandoned = leader.joinOrLead(key, async signal => {
    started()
    // Never answers: the replica dies before it can.
    return await new Promise<FetchResult>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
  }, leaderGone.signal)
  await leaderStarted
  const leaderStartedAt = performance.now()
  await doomedConnection.close()
  return { abandoned, leaderGone, leaderStartedAt }
}

t.test('replicas joining one upstream call', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('shared-coalescer')
  cleanUpKeys(t, keyPrefix)
  const replicas = async (count: number, leaseMs = 2000): Promise<SharedCoalescer[]> =>
    await Promise.all(Array.from({ length: count }, async () => new SharedCoalescer(await openConnection(t), { keyPrefix, leaseMs, pollMs: 20 })))

  t.test('three replicas, thirty identical calls each: one call upstream, the same answer for all', async t => {
    const coalescers = await replicas(3)
    let upstreamCalls = 0
    const call = async (): Promise<FetchResult> => {
      upstreamCalls++
      await sleep(200)
      return structuredClone(answer)
    }
    const results = await Promise.all(coalescers.flatMap(coalescer =>
      Array.from({ length: 30 }, async () => await coalescer.joinOrLead('call:identical', call, never))))
    t.equal(upstreamCalls, 1)
    t.equal(results.length, 90)
    for (const result of results) t.strictSame(result, answer)
  })

  t.test('a leader that dies mid-call holds the others up for one lease, then one of them calls', async t => {
    const leaseMs = 400
    const survivors = await replicas(2, leaseMs)
    const { abandoned, leaderGone, leaderStartedAt } = await leaderThatDies(t, keyPrefix, leaseMs, 'call:orphaned')

    const takeovers: number[] = []
    const call = async (): Promise<FetchResult> => {
      takeovers.push(performance.now())
      await sleep(100)
      return structuredClone(answer)
    }
    const results = await Promise.all(survivors.flatMap(coalescer =>
      Array.from({ length: 30 }, async () => await coalescer.joinOrLead('call:orphaned', call, never))))
    t.equal(takeovers.length, 1, 'exactly one waiter took the call over')
    t.ok(takeovers[0]! - leaderStartedAt >= leaseMs - 100, `not before the lease ran out (${(takeovers[0]! - leaderStartedAt).toFixed(0)} ms)`)
    t.equal(results.length, 60)
    for (const result of results) t.strictSame(result, answer)
    leaderGone.abort()
    await t.rejects(abandoned)
  })

  t.test('a provider failure reaches every waiter with its code, provider code, request id and retryable flag', async t => {
    const [first, second] = await replicas(2)
    const failure = new UpstreamError('UPSTREAM_THROTTLED', 'Throttling.User: request was denied due to user flow control', {
      providerCode: 'Throttling.User', requestId: 'REQ-42', httpStatus: 429, retryAfterMs: 2000
    })
    let upstreamCalls = 0
    const call = async (): Promise<FetchResult> => {
      upstreamCalls++
      await sleep(200)
      throw failure
    }
    const outcomes = await Promise.allSettled([first!, second!, second!].map(async coalescer => await coalescer.joinOrLead('call:failing', call, never)))
    t.equal(upstreamCalls, 1)
    for (const outcome of outcomes) {
      t.equal(outcome.status, 'rejected')
      const error = (outcome as PromiseRejectedResult).reason as UpstreamError
      t.ok(error instanceof UpstreamError)
      t.match(error, { code: 'UPSTREAM_THROTTLED', message: failure.message, providerCode: 'Throttling.User', requestId: 'REQ-42', httpStatus: 429, retryAfterMs: 2000, retryable: true })
    }
  })

  t.test('a call asked for after the previous one finished is made again, as in-process', async t => {
    const [first, second] = await replicas(2)
    let upstreamCalls = 0
    const call = async (): Promise<FetchResult> => { upstreamCalls++; return structuredClone(answer) }
    await first!.joinOrLead('call:again', call, never)
    await second!.joinOrLead('call:again', call, never)
    t.equal(upstreamCalls, 2)
  })

  t.test('a leader whose caller gave up lets a waiter call at once', async t => {
    const [first, second] = await replicas(2, 60_000)
    const leaderCaller = new AbortController()
    let leaderStarted!: () => void
    const started = new Promise<void>(resolve => { leaderStarted = resolve })
    const leading = first!.joinOrLead('call:given-up', async signal => {
      leaderStarted()
      return await new Promise<FetchResult>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
    }, leaderCaller.signal)
    await started
    const waiting = second!.joinOrLead('call:given-up', async () => structuredClone(answer), never)
    await sleep(100)
    leaderCaller.abort()
    await t.rejects(leading, { name: 'AbortError' })
    t.strictSame(await waiting, answer, 'answered long before the 60 s lease')
  })

  t.test('a replica waiting for many calls watches them all with one script per poll', async t => {
    const [leader] = await replicas(1)
    const waiterConnection = await openConnection(t)
    const waiter = new SharedCoalescer(waiterConnection, { keyPrefix, leaseMs: 2000, pollMs: 20 })
    // Every script the waiter sends after joining, with how many calls it looks at (two keys each).
    const watchedPerScript: number[] = []
    let joined = 0
    const evalScript = waiterConnection.evalScript.bind(waiterConnection)
    waiterConnection.evalScript = async (script, keys, args) => {
      if (joined === 50) watchedPerScript.push(keys.length / 2)
      return await evalScript(script, keys, args)
    }
    const calls = Array.from({ length: 50 }, (_, index) => `call:many:${index}`)
    let release!: () => void
    const released = new Promise<void>(resolve => { release = resolve })
    let leading = 0
    let allLeading!: () => void
    const leaderHolds = new Promise<void>(resolve => { allLeading = resolve })
    const leaders = calls.map(async key => await leader!.joinOrLead(key, async () => {
      if (++leading === calls.length) allLeading()
      await released
      return structuredClone(answer)
    }, never))
    await leaderHolds
    let waited = 0
    let allWaiting!: () => void
    const waiting = new Promise<void>(resolve => { allWaiting = resolve })
    const waiters = calls.map(async key => await waiter.joinOrLead(key, async () => { throw new Error('the waiter must not call') }, never, undefined, () => {
      joined++
      if (++waited === calls.length) allWaiting()
    }))
    await waiting
    while (watchedPerScript.length < 3) await sleep(20)
    release()
    t.strictSame(await Promise.all(waiters), await Promise.all(leaders), 'every waiter has its leader\'s answer')
    const watched = watchedPerScript.reduce((sum, each) => sum + each, 0)
    t.ok(watched >= 10 * watchedPerScript.length, `${watchedPerScript.length} scripts looked at ${watched} calls: many calls each, not one script per call`)
    t.equal(waiter.fallbacks, 0)
  })

  t.test('without Redis each replica makes its own call', async t => {
    const coalescer = new SharedCoalescer(await openDeadConnection(t), { keyPrefix })
    t.strictSame(await coalescer.joinOrLead('call:alone', async () => structuredClone(answer), never), answer)
    t.equal(coalescer.fallbacks, 1)
  })
})

t.test('a waiter that polls only before and after a takeover still gets the takeover\'s answer', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('shared-coalescer-takeover')
  cleanUpKeys(t, keyPrefix)
  const leaseMs = 300
  // The quick one notices the dead leader's lease at once and answers at once; the slow one looks every 400 ms or so,
  // so the whole takeover happens between two of its polls: it never sees the new leader hold the lease.
  const quick = new SharedCoalescer(await openConnection(t), { keyPrefix, leaseMs, pollMs: 5 })
  const slow = new SharedCoalescer(await openConnection(t), { keyPrefix, leaseMs, pollMs: 400 })
  const { abandoned, leaderGone } = await leaderThatDies(t, keyPrefix, leaseMs, 'call:taken-over')
  let upstreamCalls = 0
  const call = async (): Promise<FetchResult> => {
    upstreamCalls++
    return structuredClone(answer)
  }
  const results = await Promise.all([quick.joinOrLead('call:taken-over', call, never), slow.joinOrLead('call:taken-over', call, never)])
  // Before the instance was kept in the lease, the slow one found the lease free and no result of the dead leader's, and called again.
  t.equal(upstreamCalls, 1, 'the call was taken over once, and only once')
  t.strictSame(results, [answer, answer])
  leaderGone.abort()
  await t.rejects(abandoned)
})
