/**
 * The real entry point, twice, in child processes: request ids never repeat across processes (Fastify's
 * default counter starts at req-1 in each), a caller's id is used and logged, and a CORS setting that would
 * open a keyed service to every origin stops the process at boot with the variable's name.
 */
import t, { type Test } from 'tap'
import { request } from 'undici'
import { spawnServer, type ChildServer } from '../support/child-server.js'

const REQUESTS_PER_PROCESS = 5

async function startServer (t: Test): Promise<ChildServer & { url: string }> {
  const server = spawnServer(t, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', USAGE_CORS_ORIGINS: 'https://billing.example.com' })
  const listening = await server.waitFor(line => /^Server listening at /.test(line.msg ?? ''))
  return { ...server, url: listening.msg!.replace('Server listening at ', '') }
}

async function requestIdOf (url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await request(url, { headers })
  await response.body.dump()
  const id = response.headers['x-request-id']
  if (typeof id !== 'string') throw new Error(`no X-Request-Id from ${url}`)
  return id
}

t.test('two processes: every request id differs; an incoming X-Request-Id is the id in the log line', async t => {
  const servers = await Promise.all([startServer(t), startServer(t)])
  const ids: string[] = []
  for (const server of servers) {
    for (let index = 0; index < REQUESTS_PER_PROCESS; index++) ids.push(await requestIdOf(`${server.url}/healthz`))
    ids.push(await requestIdOf(`${server.url}/no-such-route`))
  }
  t.equal(new Set(ids).size, ids.length, `${ids.length} ids, all distinct: ${ids.slice(0, 2).join(', ')}, ...`)

  const [first] = servers
  t.equal(await requestIdOf(`${first!.url}/healthz?traced`, { 'x-request-id': 'edge-7f3a.1' }), 'edge-7f3a.1')
  const line = await first!.waitFor(entry => entry.msg === 'incoming request' && entry.req?.url === '/healthz?traced')
  t.equal(line.reqId, 'edge-7f3a.1')
  for (const server of servers) server.child.kill('SIGTERM')
  t.same((await Promise.all(servers.map(server => server.exited))).map(exit => exit.code), [0, 0])
})

t.test('USAGE_CORS_ORIGINS=* with API keys: refused at boot, naming the variable', async t => {
  const server = spawnServer(t, { PORT: '0', HOST: '127.0.0.1', USAGE_API_KEYS: 'cors-test-key-0123456789', USAGE_CORS_ORIGINS: '*' })
  const exit = await server.exited
  t.equal(exit.code, 78)
  t.match(server.stderr(), /invalid configuration: USAGE_CORS_ORIGINS: .*USAGE_API_KEYS/)
})
