import { once } from 'node:events'
import t from 'tap'
import { logRedisHealth } from '../../src/replicas/redis-health-log.js'
import { ReplicatedCallBudget } from '../../src/replicas/replicated-call-budget.js'
import { captureLogs } from '../support/log-capture.js'
import { cleanUpKeys, openConnection, openDeadConnection, skipWithoutRedis, startRedisProxy, uniquePrefix } from '../support/redis-test-support.js'

t.test('an outage is one warning and a recovery one line, however many calls fell back', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('redis-health-log')
  cleanUpKeys(t, keyPrefix)
  const proxy = await startRedisProxy()
  t.teardown(async () => { await proxy.close() })
  const connection = await openConnection(t, proxy.url)
  const logs = captureLogs({ level: 'info' })
  logRedisHealth(connection, logs.logger)
  const budget = new ReplicatedCallBudget(connection, 'health', { qps: 50, concurrency: 10, keyPrefix })

  await proxy.cut()
  for (let index = 0; index < 5; index++) await budget.run(new AbortController().signal, async () => index)
  await proxy.restore()
  await once(connection, 'connected')

  const lines = logs.entries()
  t.equal(lines.filter(line => line.level === 40).length, 1, 'one warning')
  t.match(lines[0], { redis: { health: 'degraded', degradations: 1 } })
  t.match(lines[1], { redis: { health: 'connected' } })
  t.equal(lines.length, 2)
})

t.test('a Redis that was never there is said once, whenever the log is attached', async t => {
  if (skipWithoutRedis(t)) return
  const logs = captureLogs({ level: 'info' })
  const connection = await openDeadConnection(t)
  logRedisHealth(connection, logs.logger)
  // Probes keep failing every 50 ms meanwhile.
  await new Promise(resolve => setTimeout(resolve, 300))
  t.equal(connection.health, 'degraded')
  t.equal(logs.lines.length, 1)
  t.match(logs.entries()[0], { level: 40, redis: { health: 'degraded', degradations: 1 } })
})
