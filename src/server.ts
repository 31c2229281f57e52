/**
 * Entry point: read config, build the logger, the runtime and the app, listen, and shut down gracefully.
 * Nothing else lives here.
 */
import { appOptionsFor, buildApp } from './app.js'
import { systemClock } from './clock.js'
import { ConfigError } from './config/config-error.js'
import { loadConfig } from './config/load-config.js'
import { createLogger } from './observability/logger.js'
import { createUpstreamCallLogger } from './observability/upstream-call-log.js'
import { createRuntime } from './runtime.js'
import { SecretRedactor, credentialSecrets } from './security/secret-redactor.js'

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`usage-service: invalid configuration: ${error.message}\n`)
      process.exit(78)
    }
    throw error
  }

  // The logger exists before the runtime so upstream calls can log through it; the redactor learns the
  // sources' secrets (the embedded default makes its own at boot) before anything is served.
  const redactor = new SecretRedactor()
  const logger = createLogger({ level: config.logLevel, redactor })
  const runtime = await createRuntime({ config, clock: systemClock, overrides: { onCall: createUpstreamCallLogger(logger) } })
  redactor.learn(runtime.sources.flatMap(source => credentialSecrets(source.config.credentials)))

  const app = await buildApp({ ...appOptionsFor(config, runtime, systemClock), redactor, fastify: { loggerInstance: logger } })

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

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: no new connections, finishing in-flight requests')
    const forced = setTimeout(() => {
      app.log.error({ graceMs: config.shutdownGraceMs }, 'in-flight requests did not finish within the grace period; exiting')
      process.exit(1)
    }, config.shutdownGraceMs)
    forced.unref()
    // In-flight requests finish first; only then are upstream connections and simulators closed under them.
    app.close()
      .then(() => runtime.close())
      .then(() => {
        app.log.info('shut down cleanly')
        process.exit(0)
      })
      .catch(error => {
        app.log.error({ err: error }, 'error during shutdown')
        process.exit(1)
      })
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  await app.listen({ port: config.port, host: config.host })
}

main().catch(error => {
  process.stderr.write(`usage-service: failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
