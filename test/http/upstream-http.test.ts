/** What the upstream client reads of a provider's answer: a usage answer whole, an error answer only its start. */
import t from 'tap'
import { createUpstreamHttp, MAX_ERROR_BODY_BYTES } from '../../src/http/upstream-http.js'
import { startLoopbackServer } from '../../src/simulators/index.js'

const EIGHT_MIB = 8 * 1024 * 1024
let written = 0
const server = await startLoopbackServer(async (request, response) => {
  const status = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status'))
  response.writeHead(status, { 'content-type': 'application/json' })
  response.on('error', () => {})
  // Written in chunks as a real server streams, counting what the client let through before it hung up.
  const chunk = Buffer.alloc(64 * 1024, 'a')
  for (let sent = 0; sent < EIGHT_MIB && !response.destroyed; sent += chunk.length) {
    if (!response.write(chunk)) await new Promise(resolve => { response.once('drain', resolve); response.once('close', resolve) })
    written = sent + chunk.length
  }
  response.end()
})
const http = createUpstreamHttp({ timeoutMs: 5_000 })
t.teardown(async () => {
  await http.close()
  await server.close()
})

const send = (status: number) => http.send({ url: `${server.url}/?status=${status}`, method: 'GET', headers: {}, signal: AbortSignal.timeout(30_000) })

t.test('an 8 MiB error body: the first 64 KiB are read and the connection is dropped', async t => {
  for (const status of [400, 403, 500, 503]) {
    const response = await send(status)
    t.equal(response.status, status)
    t.equal(response.body.length, MAX_ERROR_BODY_BYTES, `${status}: ${response.body.length} bytes kept`)
  }
  t.ok(written < EIGHT_MIB, `the server could write only ${written} of ${EIGHT_MIB} bytes before the client hung up`)
})

t.test('a large 2xx usage answer is read whole', async t => {
  const response = await send(200)
  t.equal(response.body.length, EIGHT_MIB)
})
