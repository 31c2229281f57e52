import { once } from 'node:events'
import t from 'tap'
import { ReplicatedCallBudget } from '../../src/replicas/replicated-call-budget.js'
import { cleanUpKeys, openConnection, openDeadConnection, skipWithoutRedis, startRedisProxy, uniquePrefix } from '../support/redis-test-support.js'

const budgetKey = 'tencent.mps\u0000AKIDone'

t.test('a replica that cannot reach Redis', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('replicated-call-budget')
  cleanUpKeys(t, keyPrefix)

  t.test('calls at its share of the budget from the start when Redis is not there', async t => {
    const connection = await openDeadConnection(t)
    const budget = new ReplicatedCallBudget(connection, budgetKey, { qps: 10, concurrency: 4, replicas: 3, keyPrefix })
    t.equal(connection.health, 'degraded')
    t.equal(await budget.run(new AbortController().signal, async () => 'answered'), 'answered')
    t.equal(budget.mode, 'local')
    t.equal(budget.fallbacks, 1)
    t.equal(budget.local.qps, 3, 'floor(10 / 3) calls a second')
  })

  t.test('falls back when Redis goes away, says so once, and shares again when it is back', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url)
    const degradedEvents: Error[] = []
    connection.on('degraded', error => degradedEvents.push(error))
    const budget = new ReplicatedCallBudget(connection, budgetKey, { qps: 4, concurrency: 2, replicas: 2, keyPrefix })
    const signal = new AbortController().signal
    const gateKeyExists = async (): Promise<boolean> => {
      const observer = await openConnection(t)
      return await observer.client.exists(budget.shared.key) === 1
    }

    t.equal(budget.mode, 'shared')
    await budget.run(signal, async () => 'first')
    t.equal(budget.fallbacks, 0, 'the first call went through Redis')
    t.ok(await gateKeyExists(), 'and took a slot there')

    await proxy.cut()
    const answers = await Promise.all([1, 2, 3].map(async index => await budget.run(signal, async () => index)))
    t.same(answers, [1, 2, 3], 'calls go on without Redis')
    t.equal(budget.mode, 'local')
    t.equal(budget.fallbacks, 3)
    t.equal(budget.local.qps, 2, 'at half the budget, for two replicas')
    t.equal(degradedEvents.length, 1, 'one event for the whole outage')
    t.equal(connection.degradations, 1)

    await proxy.restore()
    await once(connection, 'connected')
    // Its local calls are unknown to Redis: shared mode resumes once their second has passed.
    while (budget.mode !== 'shared') await new Promise(resolve => setTimeout(resolve, 50))
    await budget.run(signal, async () => 'shared again')
    t.equal(budget.fallbacks, 3, 'the call after recovery went through Redis')
    t.equal(degradedEvents.length, 1)
  })

  t.test('the second before Redis went away and the local shares after it never hold more than the budget', async t => {
    const qps = 3
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const budgets = await Promise.all([1, 2, 3].map(async () =>
      new ReplicatedCallBudget(await openConnection(t, proxy.url), `${budgetKey}:handover`, { qps, concurrency: 10, replicas: 3, keyPrefix })))
    const signal = new AbortController().signal
    const starts: number[] = []
    const call = async () => { starts.push(performance.now()) }
    // The whole budget used through Redis, one replica's calls each, then Redis gone and each replica at once on its share.
    await Promise.all(budgets.map(async budget => { await budget.run(signal, call) }))
    t.same(budgets.map(budget => budget.fallbacks), [0, 0, 0], 'the first calls shared the budget')
    await proxy.cut()
    await Promise.all(budgets.map(async budget => { await Promise.all([budget.run(signal, call), budget.run(signal, call)]) }))
    t.same(budgets.map(budget => budget.fallbacks), [2, 2, 2], 'the next ran on the local shares')
    t.equal(starts.length, 9)
    for (const start of starts) {
      const inWindow = starts.filter(other => other >= start && other < start + 1000).length
      t.ok(inWindow <= qps, `${inWindow} calls in the second from ${start.toFixed(0)}`)
    }
  })

  t.test('back after an outage, it keeps to its share until every replica can have noticed Redis is back', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url, { probeIntervalMs: 200, reconnectMaxDelayMs: 300 })
    const budget = new ReplicatedCallBudget(connection, `${budgetKey}:noticed`, { qps: 4, concurrency: 2, replicas: 2, keyPrefix })
    const signal = new AbortController().signal
    await budget.run(signal, async () => 'shared')
    await proxy.cut()
    if (connection.health !== 'degraded') await once(connection, 'degraded')
    await proxy.restore()
    await once(connection, 'connected')
    // No local call was made here; the others' may have been, and they call at their shares until they notice.
    t.equal(budget.mode, 'local', 'not shared the moment this replica is back')
    await budget.run(signal, async () => 'during the return')
    t.equal(budget.fallbacks, 1, 'a call meanwhile runs at its share')
    while (budget.mode !== 'shared') await new Promise(resolve => setTimeout(resolve, 20))
    const waited = performance.now() - connection.recoveredAt
    t.ok(waited >= connection.noticeMs + 1005, `shared again after the others' notice time and a second (${waited.toFixed(0)} ms, noticeMs ${connection.noticeMs})`)
    await budget.run(signal, async () => 'shared again')
    t.equal(budget.fallbacks, 1, 'then through Redis again')
  })

  t.test('Redis back while a local call still waits for its turn: shared mode waits for that call too', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url)
    const budget = new ReplicatedCallBudget(connection, `${budgetKey}:pending`, { qps: 3, concurrency: 3, replicas: 3, keyPrefix })
    const signal = new AbortController().signal
    await budget.run(signal, async () => 'shared')
    await proxy.cut()
    if (connection.health !== 'degraded') await once(connection, 'degraded')
    let started = false
    let markStarted!: () => void
    const inFlight = new Promise<void>(resolve => { markStarted = resolve })
    let finish!: () => void
    // Waits out the second of the calls shared just before the cut, then holds its local slot until told.
    const local = budget.run(signal, async () => {
      started = true
      markStarted()
      await new Promise<void>(resolve => { finish = resolve })
    })
    await proxy.restore()
    await once(connection, 'connected')
    t.equal(budget.mode, 'local', `not shared while a local call is ${started ? 'in flight' : 'still waiting for its turn'}`)
    await inFlight
    t.equal(budget.mode, 'local', 'nor while it is in flight')
    finish()
    await local
    while (budget.mode !== 'shared') await new Promise(resolve => setTimeout(resolve, 50))
    t.equal(budget.fallbacks, 1, 'shared again once its second has passed')
  })

  t.test('a Redis that stops answering costs one command timeout, and a slot its lost reply took is given back', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url, { commandTimeoutMs: 300 })
    const budget = new ReplicatedCallBudget(connection, `${budgetKey}:stalled`, { qps: 1, concurrency: 1, replicas: 2, keyPrefix })
    t.equal(budget.mode, 'shared')

    proxy.pause()
    t.equal(await budget.run(new AbortController().signal, async () => 'answered'), 'answered')
    t.equal(budget.fallbacks, 1, 'the call ran on the local share after the timeout')
    t.equal(budget.mode, 'local')

    // The acquire reached Redis after all and took the only slot; the FORGET sent after the timeout frees it.
    proxy.resume()
    await once(connection, 'connected')
    const observer = await openConnection(t)
    t.equal(await observer.client.hget(budget.shared.key, 'h1'), null, 'no slot is left held')
    t.ok(Number(await observer.client.hget(budget.shared.key, 'a1')) > 0, 'the slot records when it is free again')
  })

  t.test('an abort while waiting for a shared slot is the caller\'s, not a fallback', async t => {
    const connection = await openConnection(t)
    const budget = new ReplicatedCallBudget(connection, `${budgetKey}:abort`, { qps: 1, concurrency: 1, keyPrefix })
    let finish!: () => void
    const holding = budget.run(new AbortController().signal, async () => await new Promise<void>(resolve => { finish = resolve }))
    await new Promise(resolve => setTimeout(resolve, 50))
    const controller = new AbortController()
    const waiting = budget.run(controller.signal, async () => 'ran')
    controller.abort()
    await t.rejects(waiting, { name: 'AbortError' })
    t.equal(budget.fallbacks, 0)
    finish()
    await holding
  })
})
