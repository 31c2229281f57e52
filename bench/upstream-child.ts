/**
 * The simulated providers on their own, in a process of their own (the bench's default): the same simulators the
 * embedded default starts (one per registered kind, USAGE_SIMULATOR_LATENCY_MS latency), so that their work —
 * checking signatures, generating answers — is not done on the service's event loop or counted in its memory, as a
 * real provider's is not.
 * Started with IPC by run.ts; sends { type: 'ready', controlUrl, sources } with each source's endpoint and
 * credentials (for the service's sources file), then serves GET /stats (calls each simulator saw), POST /reset
 * (forgets them) and POST /exit.
 */
import Fastify from 'fastify'
import { systemClock } from '../src/clock.js'
import { startEmbeddedSources } from '../src/config/embedded-sources.js'
import { loadConfig } from '../src/config/load-config.js'

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  const embedded = await startEmbeddedSources({ clock: systemClock, latencyMs: config.simulatorLatencyMs })
  const control = Fastify({ logger: false })
  control.get('/stats', async () => Object.fromEntries(Object.entries(embedded.simulators).map(([kind, simulator]) => [kind, {
    calls: simulator.stats.count(),
    throttled: simulator.stats.throttled(),
    maxPerSecond: simulator.stats.maxCallsPerSecond()
  }])))
  control.post('/reset', async () => {
    for (const simulator of Object.values(embedded.simulators)) simulator.stats.reset()
    return { reset: true }
  })
  const close = async () => {
    await control.close()
    await embedded.close()
  }
  control.post('/exit', async () => {
    setImmediate(() => { close().finally(() => process.exit(0)) })
    return { closing: true }
  })
  process.on('SIGTERM', () => { close().finally(() => process.exit(0)) })
  process.on('disconnect', () => { close().finally(() => process.exit(0)) })
  const controlUrl = await control.listen({ port: 0, host: '127.0.0.1' })
  process.send?.({
    type: 'ready',
    controlUrl,
    pid: process.pid,
    sources: embedded.sources.map(source => ({ id: source.id, kind: source.kind, endpoint: source.endpoint, credentials: source.credentials }))
  })
}

main().catch(error => {
  process.stderr.write(`bench upstream child failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
