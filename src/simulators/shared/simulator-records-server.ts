/**
 * The simulators' call logs read over HTTP, for tests that run the simulated providers as a process of their own
 * (`npm run simulate -- --stats-port 0`) and must still count what each provider saw: calls per account and API
 * per second, throttled answers, calls per source.
 *
 * It is a port of its own, on loopback only, apart from every provider's port: a simulated provider answers
 * nothing a real one would not, and the records are reachable only from the machine the simulators run on.
 * Read-only: a test that wants "calls since" remembers how many it had seen, so no caller can change what another
 * one counts.
 *
 *   GET /_simulator/calls             → { "<kind>": SimulatorCall[], … } every call each simulator logged, in order
 *   GET /_simulator/calls?kind=<kind> → { "<kind>": SimulatorCall[] } one kind (404 for a kind not served here)
 */
import type { RunningSimulator } from './simulator-server.js'
import { startLoopbackServer } from './simulator-server.js'

export const SIMULATOR_RECORDS_PATH = '/_simulator/calls'

export interface SimulatorRecordsServer {
  /** http://127.0.0.1:PORT/_simulator/calls */
  url: string
  close(): Promise<void>
}

export async function startSimulatorRecordsServer (simulators: Record<string, RunningSimulator>, port = 0): Promise<SimulatorRecordsServer> {
  const server = await startLoopbackServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body))
    }
    if (url.pathname !== SIMULATOR_RECORDS_PATH) return answer(404, { error: `only GET ${SIMULATOR_RECORDS_PATH} is served here` })
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET')
      return answer(405, { error: 'read-only' })
    }
    const kind = url.searchParams.get('kind')
    if (kind === null) return answer(200, Object.fromEntries(Object.entries(simulators).map(([each, simulator]) => [each, simulator.stats.calls])))
    const simulator = Object.hasOwn(simulators, kind) ? simulators[kind] : undefined
    if (simulator === undefined) return answer(404, { error: `no simulator of kind ${kind}` })
    answer(200, { [kind]: simulator.stats.calls })
  }, { port, host: '127.0.0.1' })
  return { url: server.url + SIMULATOR_RECORDS_PATH, close: server.close }
}
