/**
 * A provider that answers every call with what a test scripts: for hostile answers no simulator gives
 * (messages echoing secrets in odd encodings, megabytes of message). Usable as a test service's simulator.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { FaultInjector, SimulatorStats, startLoopbackServer, type RunningSimulator } from '../../src/simulators/index.js'

export interface ScriptedAnswer {
  status: number
  body: string
}

export interface ScriptedUpstream extends RunningSimulator {
  received: Array<{ url: string, headers: IncomingHttpHeaders }>
}

export function scriptedUpstream (answer: (call: { url: string, headers: IncomingHttpHeaders }) => ScriptedAnswer): () => Promise<ScriptedUpstream> {
  return async () => {
    const received: ScriptedUpstream['received'] = []
    const server = await startLoopbackServer(async (request, response) => {
      const call = { url: request.url ?? '', headers: request.headers }
      received.push(call)
      request.resume()
      const { status, body } = answer(call)
      response.writeHead(status, { 'content-type': 'application/json' })
      // The reader may stop early (it does for error bodies): that is not a failure of the provider.
      response.on('error', () => {})
      response.end(body)
    })
    return { url: server.url, close: server.close, faults: new FaultInjector(), stats: new SimulatorStats(), received }
  }
}
