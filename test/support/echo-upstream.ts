/**
 * A hostile provider for secret-hygiene tests: it answers every call with an Alibaba-style error whose message
 * echoes everything it received (method, query string, every header, signature and token included), as real
 * gateways do with a string to sign or a rejected parameter. Odd calls get a 503 (retried), even ones a 400.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { FaultInjector, SimulatorStats, startLoopbackServer, type RunningSimulator } from '../../src/simulators/index.js'

export interface EchoUpstream extends RunningSimulator {
  received: Array<{ url: string, headers: IncomingHttpHeaders }>
}

export async function startEchoUpstream (): Promise<EchoUpstream> {
  const received: EchoUpstream['received'] = []
  const server = await startLoopbackServer(async (request, response) => {
    received.push({ url: request.url ?? '', headers: request.headers })
    const echo = `you sent ${request.method} ${request.url} with headers ${JSON.stringify(request.headers)} ` +
      `and Authorization: ${request.headers.authorization ?? ''}`
    const [status, code] = received.length % 2 === 1 ? [503, 'ServiceUnavailable'] : [400, 'InvalidParameter']
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ RequestId: `ECHO-${received.length}`, Code: code, Message: echo }))
  })
  return { url: server.url, close: server.close, faults: new FaultInjector(), stats: new SimulatorStats(), received }
}
