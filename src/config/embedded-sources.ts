/**
 * The embedded default: with no credentials configured, every known kind is served by a simulated
 * provider on loopback, reached through the same adapters, HTTP and signing as a real cloud.
 * The simulated account's secret is random per boot, so it is worth nothing outside this process.
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import { SIMULATED_KINDS, startSimulator, type RunningSimulator, type SimulatedAccount } from '../simulators/index.js'
import type { SourceConfig } from '../usage/source-adapter.js'
import { buildSource } from './load-config.js'

export interface EmbeddedSources {
  sources: SourceConfig[]
  simulators: Record<string, RunningSimulator>
  close(): Promise<void>
}

export interface EmbeddedSourcesOptions {
  clock: Clock
  latencyMs: { min: number, max: number }
  /** The account the simulators accept; a random one (worth nothing outside this process) unless given. */
  account?: SimulatedAccount
  /** The first of consecutive ports, one per kind in registry order; any free ports unless given. */
  portBase?: number
  /** Interface the simulators listen on; loopback unless given. */
  host?: string
}

export async function startEmbeddedSources (options: EmbeddedSourcesOptions): Promise<EmbeddedSources> {
  const account: SimulatedAccount = options.account ?? {
    accessKeyId: 'SIMULATED' + randomBytes(6).toString('hex').toUpperCase(),
    accessKeySecret: randomBytes(24).toString('base64url')
  }
  const simulators: Record<string, RunningSimulator> = {}
  const sources: SourceConfig[] = []
  try {
    // One simulator per kind of the simulator registry; a kind without a simulator cannot be embedded.
    for (const [index, kind] of SIMULATED_KINDS.entries()) {
      const port = options.portBase === undefined || options.portBase === 0 ? 0 : options.portBase + index
      const simulator = await startSimulator(kind, { accounts: [account], clock: options.clock, latencyMs: options.latencyMs, port, host: options.host })
      simulators[kind] = simulator
      sources.push(buildSource({
        id: `simulated-${kind.replace('.', '-')}`,
        kind,
        credentials: { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret },
        endpoint: simulator.url,
        simulated: true,
        variable: 'embedded default'
      }))
    }
  } catch (error) {
    await Promise.all(Object.values(simulators).map(simulator => simulator.close()))
    throw error
  }
  return {
    sources,
    simulators,
    close: async () => { await Promise.all(Object.values(simulators).map(simulator => simulator.close())) }
  }
}
