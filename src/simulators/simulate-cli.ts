/**
 * `npm run simulate`: the simulated providers as a process of their own, so that several replicas of the service
 * can share one set of them (one QPS limit per account and API, as at a real provider). Prints the sources file
 * that points at them (or writes it with --write), then serves until SIGTERM or SIGINT.
 *
 *   --port-base N      first of consecutive ports, one per kind (default 4100; 0: any free ports)
 *   --host H           interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)
 *   --endpoint-host H  host name the replicas reach the simulators by (default: 127.0.0.1)
 *   --write FILE       write the sources file there instead of printing it
 *   --stats-port N     also serve the calls each simulator saw, read-only, at http://127.0.0.1:N/_simulator/calls
 *                      (loopback only, 0: any free port; off unless given): for tests that count what the
 *                      providers saw from outside this process. Its URL is printed on stderr.
 *
 * The account is USAGE_SIMULATED_ACCESS_KEY_ID / USAGE_SIMULATED_ACCESS_KEY_SECRET when set (give the replicas
 * the same values); otherwise a random one, printed on stderr for the replicas' environment.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { systemClock } from '../clock.js'
import { startEmbeddedSources } from '../config/embedded-sources.js'
import { loadConfig } from '../config/load-config.js'
import { SIMULATED_CREDENTIAL_VARIABLES, simulatedSourcesFile } from '../config/simulated-sources-file.js'
import { startSimulatorRecordsServer } from './shared/simulator-records-server.js'

const DEFAULT_PORT_BASE = 4100

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      'port-base': { type: 'string', default: String(DEFAULT_PORT_BASE) },
      host: { type: 'string', default: '127.0.0.1' },
      'endpoint-host': { type: 'string' },
      write: { type: 'string' },
      'stats-port': { type: 'string' }
    }
  })
  const portBase = Number(values['port-base'])
  if (!Number.isSafeInteger(portBase) || portBase < 0 || portBase > 65_000) throw new Error('--port-base: expected a port number, or 0 for any free ports')
  const statsPort = values['stats-port'] === undefined ? undefined : Number(values['stats-port'])
  if (statsPort !== undefined && (!Number.isSafeInteger(statsPort) || statsPort < 0 || statsPort > 65_535)) throw new Error('--stats-port: expected a port number, or 0 for any free port')
  const accessKeyId = process.env[SIMULATED_CREDENTIAL_VARIABLES.accessKeyIdEnv]?.trim()
  const accessKeySecret = process.env[SIMULATED_CREDENTIAL_VARIABLES.accessKeySecretEnv]?.trim()
  const latencyMs = loadConfig({ USAGE_SIMULATOR_LATENCY_MS: process.env.USAGE_SIMULATOR_LATENCY_MS }).simulatorLatencyMs
  const embedded = await startEmbeddedSources({
    clock: systemClock,
    latencyMs,
    portBase,
    host: values.host,
    ...accessKeyId && accessKeySecret ? { account: { accessKeyId, accessKeySecret } } : {}
  })
  const records = statsPort === undefined ? undefined : await startSimulatorRecordsServer(embedded.simulators, statsPort).catch(async (error: unknown) => { await embedded.close(); throw error })
  const account = embedded.sources[0]!.credentials
  if (!accessKeyId || !accessKeySecret) {
    process.stderr.write(`simulated account (give the replicas the same):\n${SIMULATED_CREDENTIAL_VARIABLES.accessKeyIdEnv}=${account.accessKeyId}\n${SIMULATED_CREDENTIAL_VARIABLES.accessKeySecretEnv}=${account.accessKeySecret}\n`)
  }
  const file = JSON.stringify(simulatedSourcesFile(embedded.sources, values['endpoint-host']), null, 2) + '\n'
  if (values.write !== undefined) {
    writeFileSync(values.write, file)
    process.stderr.write(`sources file written to ${values.write}\n`)
  } else {
    process.stdout.write(file)
  }
  if (records !== undefined) process.stderr.write(`simulator records: ${records.url}\n`)
  // Last: a caller waiting for this line finds the sources file written and the records served.
  process.stderr.write(`simulated providers listening: ${embedded.sources.map(source => `${source.kind} ${source.endpoint}`).join(', ')}\n`)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => { Promise.all([embedded.close(), records?.close()]).finally(() => process.exit(0)) })
  }
}

main().catch(error => {
  process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
