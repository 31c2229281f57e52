/**
 * The service as `npm start` runs it (same config, runtime and app), in a child process of the bench: either with the
 * embedded simulated providers in this process (BENCH_UPSTREAM=embedded, exactly `npm start`), or, by default, with a
 * sources file naming the simulators run.ts started in a process of their own (upstream-child.ts).
 * Plus a second, bare Fastify instance in the same process for the bench's own needs:
 * - GET /bare: the bytes of a primed /usage answer, sent as-is (the same-process baseline of "overhead when cached");
 * - GET /bench/stats: peak and current RSS, and per source the upstream calls its simulator saw;
 * - GET /bench/plan?<usage query>: what the planner plans and the minimum the limits allow (see lib/plan-info.ts);
 * - POST /bench/prime-bare?<usage query>: fetches the answer in-process and keeps its bytes for /bare;
 * - POST /bench/exit: closes everything and exits (so --cpu-prof writes its profile).
 * Started with IPC by run.ts; sends { type: 'ready', serviceUrl, controlUrl } once listening.
 */
import Fastify from 'fastify'
import { appOptionsFor, buildApp, queryLimitsOf } from '../src/app.js'
import { systemClock } from '../src/clock.js'
import { loadConfig } from '../src/config/load-config.js'
import { createRuntime } from '../src/runtime.js'
import { ADAPTERS } from '../src/providers/registry.js'
import { BUILT_IN_QUERY_DEFAULTS, usageQuerySchemaFor } from '../src/schemas/usage-query-schema.js'
import { buildCatalog } from '../src/usage/catalog.js'
import { toJsonResponse } from '../src/usage/format-answer.js'
import { runUsageQuery } from '../src/usage/run-usage-query.js'
import { SecretRedactor, credentialSecrets } from '../src/security/secret-redactor.js'
import type { UpstreamCallLog } from '../src/usage/source-executor.js'
import { planInfo } from './lib/plan-info.js'

const catalog = buildCatalog(ADAPTERS)
const usageQuerySchema = usageQuerySchemaFor({ catalog, clock: systemClock, defaults: BUILT_IN_QUERY_DEFAULTS })

interface CallEntry extends UpstreamCallLog { endedAt: number }

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  const calls: CallEntry[] = []
  const runtime = await createRuntime({
    config,
    clock: systemClock,
    // No ledger: the bench measures the provider path as before (the ledger's own figures: npm run bench:ledger).
    overrides: { ledger: false, onCall: entry => { calls.push({ ...entry, endedAt: performance.now() }) } }
  })

  // What server.ts passes, without the logger: the bench measures the code path, not log output. No API keys
  // (run.ts removes USAGE_API_KEYS), as in the embedded default.
  const redactor = new SecretRedactor()
  redactor.learn(runtime.sources.flatMap(source => credentialSecrets(source.config.credentials)))
  const app = await buildApp({ ...appOptionsFor(config, runtime, systemClock), redactor, fastify: { logger: false } })
  const serviceUrl = await app.listen({ port: 0, host: '127.0.0.1' })

  const control = Fastify({ logger: false, keepAliveTimeout: 5_000 })
  let bare: { body: string, contentType: string } = { body: '{}', contentType: 'application/json; charset=utf-8' }

  control.get('/bare', async (_request, reply) => reply.header('content-type', bare.contentType).send(bare.body))

  control.post('/bench/prime-bare', async (request, reply) => {
    const search = new URL(request.url, 'http://bench').search
    const answer = await app.inject({ method: 'GET', url: `/usage${search}` })
    if (answer.statusCode !== 200) return reply.code(502).send({ status: answer.statusCode, body: answer.body.slice(0, 500) })
    bare = { body: answer.body, contentType: String(answer.headers['content-type']) }
    return { bytes: Buffer.byteLength(bare.body) }
  })

  control.get('/bench/plan', async (request, reply) => {
    const parameters = Object.fromEntries(new URL(request.url, 'http://bench').searchParams)
    const parsed = usageQuerySchema.safeParse(parameters)
    if (!parsed.success) return reply.code(400).send({ issues: parsed.error.issues })
    return { ...planInfo(runtime.sources, parsed.data, systemClock.now()), limits: config.limits }
  })

  // Where a (cached) answer's CPU time goes when it is computed (once a second per repeated query; the rendered
  // answer is reused for the rest of that second), stage by stage, in this process: the route's steps, in a loop.
  const serialize = (response: unknown): string => JSON.stringify(response)
  control.get('/bench/breakdown', async (request, reply) => {
    const parameters = Object.fromEntries(new URL(request.url, 'http://bench').searchParams)
    const iterations = Number(parameters.iterations ?? 20)
    delete parameters.iterations
    const parsed = usageQuerySchema.safeParse(parameters)
    if (!parsed.success) return reply.code(400).send({ issues: parsed.error.issues })
    const query = parsed.data
    const totals = { queryMs: 0, formatMs: 0, serializeMs: 0, stringifyMs: 0, bytes: 0 }
    for (let iteration = -2; iteration < iterations; iteration++) {
      const started = performance.now()
      const answer = await runUsageQuery(query, {
        sources: runtime.sources, clock: systemClock, signal: AbortSignal.timeout(60_000), limits: queryLimitsOf(config)
      })
      const queried = performance.now()
      const response = toJsonResponse(answer, query, systemClock.now(), catalog)
      const formatted = performance.now()
      const text = serialize(response)
      const serialized = performance.now()
      JSON.stringify(response)
      const stringified = performance.now()
      if (iteration < 0) continue
      totals.queryMs += (queried - started) / iterations
      totals.formatMs += (formatted - queried) / iterations
      totals.serializeMs += (serialized - formatted) / iterations
      totals.stringifyMs += (stringified - serialized) / iterations
      totals.bytes = Buffer.byteLength(text)
    }
    return totals
  })

  control.get('/bench/stats', async request => {
    const since = Number((request.query as { since?: string }).since ?? 0)
    const usage = process.resourceUsage()
    const memory = process.memoryUsage()
    const newer = calls.slice(since)
    return {
      pid: process.pid,
      // maxRSS is in kilobytes (KiB on Linux).
      maxRssBytes: usage.maxRSS * 1024,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      callLogLength: calls.length,
      sources: runtime.sources.map(({ config: source }) => {
        // Only with the embedded default; with the providers in their own process, run.ts asks that process.
        const stats = runtime.embedded?.simulators[source.kind]?.stats
        const mine = newer.filter(entry => entry.source === source.id)
        return {
          id: source.id,
          kind: source.kind,
          // What the provider saw: every HTTP call, admitted or refused.
          simulatorCalls: stats?.count() ?? null,
          simulatorThrottled: stats?.throttled() ?? null,
          simulatorMaxPerSecond: stats?.maxCallsPerSecond() ?? null,
          qps: source.qps,
          // Attempts logged by the executor since `since`: their spread in the child's monotonic time.
          attempts: mine.length,
          firstStartMs: mine.length > 0 ? Math.min(...mine.map(entry => entry.endedAt - entry.durationMs)) : null,
          lastEndMs: mine.length > 0 ? Math.max(...mine.map(entry => entry.endedAt)) : null,
          meanAttemptMs: mine.length > 0 ? mine.reduce((sum, entry) => sum + entry.durationMs, 0) / mine.length : null,
          outcomes: mine.reduce<Record<string, number>>((counts, entry) => ({ ...counts, [entry.outcome]: (counts[entry.outcome] ?? 0) + 1 }), {})
        }
      })
    }
  })

  const close = async () => {
    await control.close()
    await app.close()
    await runtime.close()
  }
  control.post('/bench/exit', async () => {
    setImmediate(() => { close().finally(() => process.exit(0)) })
    return { closing: true }
  })
  process.on('SIGTERM', () => { close().finally(() => process.exit(0)) })
  // The bench going away (crash, Ctrl-C) must not leave this process behind.
  process.on('disconnect', () => { close().finally(() => process.exit(0)) })

  const controlUrl = await control.listen({ port: 0, host: '127.0.0.1' })
  process.send?.({ type: 'ready', serviceUrl, controlUrl, pid: process.pid, sources: runtime.sources.map(source => source.config.id) })
}

main().catch(error => {
  process.stderr.write(`bench service child failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
