/**
 * While the app closes, the request in flight finishes; a request that arrives meanwhile on an open connection
 * (here pipelined behind it) gets a 503 in the documented error shape, with Connection: close.
 */
import { connect } from 'node:net'
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { DEFAULT_RETRY_POLICY } from '../../src/usage/retry-policy.js'
import { build } from '../support/build.js'
import { fakeAdapter, fakeSource } from '../support/fake-adapter.js'
import { TEST_NOW } from '../support/test-service.js'

t.test('close(): the in-flight answer completes, a late pipelined request gets 503 SHUTTING_DOWN', async t => {
  const clock = fixedClock(TEST_NOW)
  let releaseUpstream!: () => void
  const upstreamReleased = new Promise<void>(resolve => { releaseUpstream = resolve })
  let upstreamCalled!: () => void
  const upstreamStarted = new Promise<void>(resolve => { upstreamCalled = resolve })
  const slow = fakeAdapter({
    answer: async call => {
      upstreamCalled()
      await upstreamReleased
      return { records: [{ metric: 'transcode.duration', start: call.window.from, end: call.window.from + 3_600_000, value: 60, dimensions: {} }], requestId: null }
    }
  })
  const { app } = await build(t, {
    clock,
    overrides: { sources: [fakeSource('slow', slow.kind)], adapters: [slow], cache: false, retry: DEFAULT_RETRY_POLICY },
    app: { limits: { maxBuckets: 1000 }, requestTimeoutMs: 30_000 }
  })
  // Runs after the gate's own preClose hook (hooks run in the order they were added).
  let closingStarted!: () => void
  const closing = new Promise<void>(resolve => { closingStarted = resolve })
  app.addHook('preClose', async () => closingStarted())
  await app.listen({ port: 0, host: '127.0.0.1' })

  const port = (app.server.address() as { port: number }).port
  // A request that has begun to arrive when the close starts: its connection is busy, not idle, so it stays open.
  const late = rawExchange(port, 'GET /usage/catalog HTTP/1.1\r\nHost: x\r\n')
  await late.connected
  const inFlight = rawExchange(port, 'GET /usage?from=2026-11-01&to=2026-11-02 HTTP/1.1\r\nHost: x\r\n\r\n')
  await upstreamStarted
  const closed = app.close()
  await closing
  late.send('\r\n')
  releaseUpstream()

  const first = await inFlight.response
  t.match(first, /^HTTP\/1\.1 200 /, 'the in-flight request finished')
  t.match(first, /"complete":true/)
  const second = await late.response
  t.match(second, /^HTTP\/1\.1 503 /, 'the late request was refused')
  t.match(second, /connection: close/i)
  await closed
  t.match(JSON.parse(second.split('\r\n\r\n')[1]!), { error: { code: 'SHUTTING_DOWN', requestId: /./ } })
})

/** A raw connection: what was received by the time the server closed it. */
function rawExchange (port: number, opening: string) {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', chunk => { received += chunk.toString() })
  const connected = new Promise<void>(resolve => socket.once('connect', () => resolve()))
  socket.write(opening)
  const response = new Promise<string>(resolve => socket.on('close', () => resolve(received)))
  return { connected, response, send: (text: string) => socket.write(text) }
}
