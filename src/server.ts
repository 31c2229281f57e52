/**
 * Entry point: read config, build the runtime and the app, listen, and shut down gracefully.
 * Nothing else lives here.
 */
import { buildApp } from './app.js'
import { systemClock } from './clock.js'
import { ConfigError } from './config/config-error.js'
import { loadConfig } from './config/load-config.js'
import { createRuntime } from './runtime.js'

const SHUTDOWN_GRACE_MS = 10_000

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

  const runtime = await createRuntime(config, systemClock)
  const app = await buildApp({
    sources: runtime.sources,
    metrics: runtime.metrics,
    clock: systemClock,
    maxBuckets: config.maxBuckets,
    requestTimeoutMs: config.requestTimeoutMs,
    fastify: {
      logger: {
        level: config.logLevel,
        redact: {
          paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.accessKeySecret', '*.securityToken'],
          censor: '[redacted]'
        }
      },
      requestTimeout: config.requestTimeoutMs + 5_000,
      connectionTimeout: 10_000,
      keepAliveTimeout: 5_000,
      bodyLimit: 16 * 1024
    }
  })

  if (runtime.embedded) {
    app.log.warn({ sources: runtime.sources.map(source => ({ id: source.config.id, kind: source.config.kind, endpoint: source.config.endpoint })) },
      'no credentials configured: serving from SIMULATED providers on loopback (embedded default); numbers are synthetic')
  } else {
    app.log.info({ sources: runtime.sources.map(source => ({ id: source.config.id, kind: source.config.kind, host: new URL(source.config.endpoint).host })) },
      'sources configured')
  }

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests')
    const forced = setTimeout(() => {
      app.log.error('in-flight requests did not finish within the grace period; exiting')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    forced.unref()
    app.close()
      .then(() => runtime.close())
      .then(() => process.exit(0))
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
