/**
 * Entry point: read config, build the logger, the runtime and the app, listen, and shut down gracefully.
 * Nothing else lives here.
 */
import type { FastifyInstance } from 'fastify'
import { appOptionsFor, buildApp } from './app.js'
import { systemClock } from './clock.js'
import { ConfigError } from './config/config-error.js'
import { loadConfig, type ServiceConfig } from './config/load-config.js'
import { createLogger } from './observability/logger.js'
import { createUpstreamCallLogger } from './observability/upstream-call-log.js'
import { createRuntime, type Runtime } from './runtime.js'
import { startLedgerSync } from './ledger-sync/start-ledger-sync.js'
import type { LedgerSyncJob } from './ledger-sync/sync-job.js'
import { SecretRedactor, credentialSecrets } from './security/secret-redactor.js'

/**
 * What exists so far. Signal handlers are installed before anything is built, so a SIGTERM during boot (the
 * embedded simulators take a moment to start) is logged and ends the process cleanly instead of killing it
 * silently: the signal is recorded, and the boot step in progress stops the process once it returns.
 */
interface Boot {
  config?: ServiceConfig
  logger?: ReturnType<typeof createLogger>
  runtime?: Runtime
  app?: FastifyInstance
  sync?: LedgerSyncJob | null
  listening: boolean
  signal?: NodeJS.Signals
}
const boot: Boot = { listening: false }

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onSignal(signal))

function onSignal (signal: NodeJS.Signals): void {
  if (boot.signal !== undefined) return
  boot.signal = signal
  const graceMs = boot.config?.shutdownGraceMs ?? 30_000
  const log = boot.app?.log ?? boot.logger
  if (log) {
    log.info({ signal, graceMs, starting: !boot.listening }, 'shutting down: no new connections, finishing in-flight requests')
  } else {
    process.stderr.write(`usage-service: ${signal} received while starting; exiting\n`)
  }
  const forced = setTimeout(() => {
    log?.error({ graceMs }, 'in-flight requests did not finish within the grace period; exiting')
    process.exit(1)
  }, graceMs)
  forced.unref()
  if (boot.listening || log === undefined) shutdown().catch(() => {})
}

/** Closes whatever exists: in-flight requests finish first; only then are upstream connections and simulators closed under them. */
async function shutdown (): Promise<never> {
  const log = boot.app?.log ?? boot.logger
  try {
    // The ledger sync first: its calls in flight are cancelled (each window is one transaction, nothing half-written).
    await boot.sync?.stop()
    await boot.app?.close()
    await boot.runtime?.close()
    log?.info('shut down cleanly')
    process.exit(0)
  } catch (error) {
    log?.error({ err: error }, 'error during shutdown')
    process.exit(1)
  }
}

async function main (): Promise<void> {
  try {
    boot.config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`usage-service: invalid configuration: ${error.message}\n`)
      process.exit(78)
    }
    throw error
  }
  const config = boot.config

  // The logger exists before the runtime so upstream calls can log through it; the redactor learns the
  // sources' secrets (the embedded default makes its own at boot) before anything is served.
  const redactor = new SecretRedactor()
  const logger = boot.logger = createLogger({ level: config.logLevel, redactor })
  const runtime = boot.runtime = await createRuntime({ config, clock: systemClock, logger, overrides: { onCall: createUpstreamCallLogger(logger) } })
  if (boot.signal) return shutdown()
  redactor.learn(runtime.sources.flatMap(source => credentialSecrets(source.config.credentials)))

  const app = boot.app = await buildApp({ ...appOptionsFor(config, runtime, systemClock), redactor, fastify: { loggerInstance: logger } })
  if (boot.signal) return shutdown()

  if (runtime.embedded) {
    app.log.warn({ sources: runtime.sources.map(source => ({ id: source.config.id, kind: source.config.kind, endpoint: source.config.endpoint })) },
      'no credentials configured: serving from SIMULATED providers on loopback (embedded default); numbers are synthetic')
  } else {
    app.log.info({ sources: runtime.sources.map(source => ({ id: source.config.id, kind: source.config.kind, host: new URL(source.config.endpoint).host })) },
      'sources configured')
  }

  for (const conflict of runtime.budgets.conflicts) {
    app.log.warn(conflict, 'sources sharing one account\'s budget for an API are configured with different qps or concurrency; the smallest applies to all of them')
  }

  await app.listen({ port: config.port, host: config.host })
  boot.listening = true
  if (boot.signal) return shutdown()

  // Ledger sync (docs/ledger.md#sync): only with a ledger store, and only once listening, so /readyz never waits for it.
  if (runtime.ledger !== null) {
    boot.sync = startLedgerSync({ runtime, store: runtime.ledger, config, clock: systemClock, logger: app.log, redact: text => redactor.text(text) })
  }
}

main().catch(error => {
  process.stderr.write(`usage-service: failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
