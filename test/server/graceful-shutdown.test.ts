/**
 * The real entry point, in a child process: SIGTERM during a slow request stops accepting connections, lets
 * the request finish with its answer, closes simulators and upstream connections, and exits 0.
 */
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { usageResponseSchema } from '../../src/schemas/usage-response-schema.js'
import { spawnServer, type ChildServer } from '../support/child-server.js'
import { checkedBody } from '../support/checked-body.js'

const API_KEY = 'shutdown-test-key-0123456789'
const SIMULATOR_LATENCY_MS = 1500

interface RunningServer extends ChildServer {
  url: string
}

async function startServer (t: Test): Promise<RunningServer> {
  const server = spawnServer(t, {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    USAGE_API_KEYS: API_KEY,
    USAGE_SIMULATOR_LATENCY_MS: String(SIMULATOR_LATENCY_MS),
    USAGE_SHUTDOWN_GRACE_MS: '60000'
  })
  const listening = await server.waitFor(line => /^Server listening at /.test(line.msg ?? ''))
  return { ...server, url: listening.msg!.replace('Server listening at ', '') }
}

function tryConnect (port: number): Promise<string> {
  return new Promise<string>(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve('connected') })
    socket.once('error', error => resolve((error as NodeJS.ErrnoException).code ?? 'error'))
  })
}

/** A date a few days back: the embedded simulators run on the real clock. */
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)

t.test('SIGTERM during a slow request: the request completes with 200, new connections are refused, exit 0', async t => {
  const server = await startServer(t)
  const path = `/usage?from=${day(4)}&to=${day(2)}&granularity=day`
  let slowFinished = false
  const slow = request(server.url + path, { headers: { authorization: `Bearer ${API_KEY}` } })
  slow.finally(() => { slowFinished = true }).catch(() => undefined)
  await server.waitFor(line => line.msg === 'incoming request' && line.req?.url === path)

  server.child.kill('SIGTERM')
  await server.waitFor(line => line.msg?.startsWith('shutting down') === true && line.signal === 'SIGTERM')
  // The listener closes a moment after the signal is logged (once the close hooks have run): retry until refused.
  const port = Number(new URL(server.url).port)
  let outcome = 'connected'
  for (let attempt = 0; attempt < 500 && outcome === 'connected'; attempt++) {
    outcome = await tryConnect(port)
    if (outcome === 'connected') await sleep(10)
  }
  t.equal(outcome, 'ECONNREFUSED', 'new connections are refused once shutting down')
  t.equal(slowFinished, false, 'while the slow request is still in flight')

  const response = await slow
  const body = checkedBody(usageResponseSchema, `the in-flight request: ${response.statusCode}`, await response.body.json())
  t.equal(response.statusCode, 200, 'the in-flight request completed')
  t.equal(response.headers.connection, 'close', 'and its keep-alive connection is closed with it, so it cannot hold up the exit')
  t.ok(Array.isArray(body.series) && body.series.length > 0, 'with its answer')
  t.same(body.sources.filter(source => !(source.simulated === true)), [])

  const { code, signal } = await server.exited
  t.same({ code, signal }, { code: 0, signal: null }, 'a clean exit')
  t.ok(server.lines.some(line => line.msg === 'shut down cleanly'), 'after closing the runtime (upstream connections, simulators)', { found: server.lines })
  const completed = server.lines.find(line => line.msg === 'request completed' && line.res?.statusCode === 200)
  t.ok(completed, 'the request was logged as completed')
  t.ok(server.lines.findIndex(line => line === completed) < server.lines.findIndex(line => line.msg === 'shut down cleanly'), 'before the exit')
})

t.test('SIGINT when idle: exit 0 at once; the key is enforced by the real entry point', async t => {
  const server = await startServer(t)
  const unauthorized = await request(server.url + '/usage/catalog')
  t.equal(unauthorized.statusCode, 401)
  await unauthorized.body.dump()
  const health = await request(server.url + '/healthz')
  t.equal(health.statusCode, 200)
  await health.body.dump()
  server.child.kill('SIGINT')
  t.same(await server.exited, { code: 0, signal: null })
})
