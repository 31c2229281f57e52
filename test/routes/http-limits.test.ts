/** Limits of the HTTP layer: header and body sizes, malformed requests, and timeouts that never cut a legitimate answer. */
import { connect } from 'node:net'
import t from 'tap'
import { HTTP_LIMITS, serverOptions } from '../../src/http/server-options.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { MAX_TIMEOUT_SECONDS } from '../../src/schemas/usage-query-schema.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

const service = await startTestService(t, [{ id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }])
const { port } = new URL(service.url)

/** Sends raw bytes and reads until the server closes or answers in full. */
async function raw (request: string): Promise<{ status: number, headers: string, body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    let received = ''
    socket.on('data', chunk => { received += chunk.toString('latin1') })
    socket.on('end', () => resolve(received))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.end(request)
  })
  const [head = '', body = ''] = text.split('\r\n\r\n')
  return { status: Number(head.split(' ')[1]), headers: head, body }
}

t.test('headers past the limit: 431 in the documented error shape', async t => {
  const response = await raw(`GET /usage?from=2026-11-01&to=2026-11-02&tier=${'hd,'.repeat(HTTP_LIMITS.maxHeaderBytes / 3)}hd HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.equal(response.status, 431)
  t.match(response.headers, /content-type: application\/json/i)
  t.match(JSON.parse(response.body), { error: { code: 'INVALID_REQUEST', message: /exceed 16384 bytes; shorten the query string/, details: [], requestId: /^client-/ } })
  t.match(response.headers, new RegExp(`^x-request-id: ${JSON.parse(response.body).error.requestId}$`, 'im'), 'the header carries the body\'s id')
})

t.test('a request that is not HTTP: 400 in the documented error shape', async t => {
  const response = await raw('GARBAGE\u0000 / HTTP/9\r\n\r\n')
  t.equal(response.status, 400)
  t.match(JSON.parse(response.body), { error: { code: 'INVALID_REQUEST', details: [], requestId: /^client-/ } })
})

t.test('a body past the limit is refused with 413 in the documented shape; GET bodies are ignored', async t => {
  const request = (method: string, body: string) => raw(`${method} /usage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
  const large = JSON.stringify({ padding: 'x'.repeat(HTTP_LIMITS.bodyLimitBytes) })
  const tooLarge = await request('POST', large)
  t.equal(tooLarge.status, 413)
  t.match(JSON.parse(tooLarge.body), { error: { code: 'INVALID_REQUEST', requestId: /./ } })
  t.match(tooLarge.headers, new RegExp(`^x-request-id: ${JSON.parse(tooLarge.body).error.requestId}$`, 'im'))
  const small = await request('POST', '{}')
  t.equal(small.status, 404, 'no route takes a body')
  t.match(JSON.parse(small.body), { error: { code: 'NOT_FOUND' } })
  const get = await request('GET', large)
  t.equal(get.status, 400, 'a GET is answered on its query string (here: from and to are missing), its body unread')
})

t.test('timeouts: the idle-socket timeout outlasts the longest deadline a request may ask for', async t => {
  for (const requestTimeoutMs of [1_000, 30_000, 600_000]) {
    const options = serverOptions({ requestTimeoutMs })
    const longestDeadline = Math.max(requestTimeoutMs, MAX_TIMEOUT_SECONDS * 1000)
    t.ok(options.connectionTimeout! > longestDeadline, `connectionTimeout ${options.connectionTimeout} > ${longestDeadline}`)
    t.ok(options.requestTimeout! >= options.http!.headersTimeout!, 'Node requires headersTimeout <= requestTimeout')
    t.equal(options.forceCloseConnections, 'idle')
  }
})

/**
 * The header timeout is a documented figure, so this one test measures it: a client that opens a request line
 * and dribbles header bytes (slowloris) is answered 408 and cut off within the documented ±2 s of the timeout.
 * A 3 s timeout keeps the test short; the default (10 s) is the same setting.
 */
t.test('a client dribbling its headers is cut off with a 408 at the header timeout', async t => {
  const headersTimeoutMs = 3_000
  const slow = await startTestService(t, [{ id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }], { headersTimeoutMs })
  const { port: slowPort } = new URL(slow.url)
  const started = performance.now()
  const outcome = await new Promise<{ received: string, elapsedMs: number }>((resolve, reject) => {
    const socket = connect(Number(slowPort), '127.0.0.1')
    let received = ''
    let dribble: NodeJS.Timeout | undefined
    const finish = () => {
      clearInterval(dribble)
      resolve({ received, elapsedMs: performance.now() - started })
    }
    socket.on('connect', () => {
      socket.write('GET /usage?from=2026-11-01&to=2026-11-02 HTTP/1.1\r\nHost: x\r\nX-Slow: ')
      // A byte every 200 ms: never idle long enough for any inactivity timeout, never a complete header block.
      dribble = setInterval(() => { if (socket.writable) socket.write('a') }, 200)
    })
    socket.on('data', chunk => { received += chunk.toString('latin1') })
    socket.on('close', finish)
    socket.on('error', error => { if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'EPIPE') return; reject(error) })
  })
  t.match(outcome.received, /^HTTP\/1\.1 408 /, 'answered 408')
  const body = JSON.parse(outcome.received.split('\r\n\r\n')[1]!)
  t.match(body, { error: { code: 'INVALID_REQUEST', message: /not received in time/, requestId: /./ } })
  t.ok(Math.abs(outcome.elapsedMs - headersTimeoutMs) <= 2_000,
    `cut off after ${Math.round(outcome.elapsedMs)} ms, within 2 s of the ${headersTimeoutMs} ms header timeout`)
})
