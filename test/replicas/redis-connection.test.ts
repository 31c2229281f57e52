import { once } from 'node:events'
import t from 'tap'
import { isCommandTimeout } from '../../src/replicas/redis-connection.js'
import { openConnection, skipWithoutRedis, startRedisProxy } from '../support/redis-test-support.js'

t.test('how the connection tells a slow reply from a Redis that is gone', async t => {
  if (skipWithoutRedis(t)) return

  t.test('a reply late only once is not an outage: a PING confirms Redis answers', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url, { commandTimeoutMs: 300 })
    proxy.pause()
    const failure = await connection.evalScript('return 1', [], []).then(() => null, (error: unknown) => error)
    t.ok(isCommandTimeout(failure), 'the command timed out')
    connection.reportFailure(failure)
    t.equal(connection.health, 'connected', 'still trusted while a PING confirms it')
    proxy.resume()
    // Replies come in order: once this PING answers, the confirming one has too.
    await connection.client.ping()
    t.equal(connection.health, 'connected', 'Redis answered: no outage')
    t.equal(connection.degradations, 0)
  })

  t.test('a Redis that stays silent is an outage once the PING times out too', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url, { commandTimeoutMs: 300 })
    proxy.pause()
    const failure = await connection.evalScript('return 1', [], []).then(() => null, (error: unknown) => error)
    connection.reportFailure(failure)
    await once(connection, 'degraded')
    t.equal(connection.health, 'degraded')
    t.equal(connection.degradations, 1)
  })

  t.test('a connection refused or closed is an outage at once', async t => {
    const proxy = await startRedisProxy()
    t.teardown(async () => { await proxy.close() })
    const connection = await openConnection(t, proxy.url)
    const degraded = once(connection, 'degraded')
    await proxy.cut()
    await degraded
    t.equal(connection.health, 'degraded')
    t.notOk(isCommandTimeout(new Error('Connection is closed.')))
  })
})
