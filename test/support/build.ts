/**
 * The runtime and the app as the server builds them (src/runtime.ts, src/app.ts), closed when the test ends.
 * A test names only what it changes: sources, adapters, transport, cache, retries, limits.
 */
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'
import { UsageMetrics } from '../../src/observability/usage-metrics.js'
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js'

/** A runtime without the process metrics (tests run many in one process). */
export async function buildRuntime (t: Test, options: RuntimeOptions): Promise<Runtime> {
  // No usage ledger unless the test asks for one (overrides.ledger): the suite does not share a data directory.
  const runtime = await createRuntime({ ...options, overrides: { metrics: new UsageMetrics(), ledger: false, ...options.overrides } })
  t.teardown(() => runtime.close())
  return runtime
}

export interface BuildOptions extends RuntimeOptions {
  /** App options beyond the runtime's sources, metrics and clock. */
  app?: Partial<AppOptions>
}

/** The app over a fresh runtime; listen on port 0 or use inject(). */
export async function build (t: Test, options: BuildOptions): Promise<{ app: FastifyInstance, runtime: Runtime }> {
  const runtime = await buildRuntime(t, options)
  const app = await buildApp({
    sources: runtime.sources,
    metrics: runtime.metrics,
    clock: options.clock,
    requestTimeoutMs: 60_000,
    ledger: runtime.ledger,
    ...options.app
  })
  // Registered after the runtime's: teardowns run last-in first-out, so requests finish before upstreams close.
  t.teardown(() => app.close())
  return { app, runtime }
}
