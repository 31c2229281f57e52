/**
 * A 90-day hourly answer served from the usage ledger against the same answer from the in-memory cache, outside the
 * test suite (figures, not thresholds):
 *   node --import=@tapjs/typescript/import bench/ledger-read-speed.ts [source,source…] [USAGE_STORE_URL]
 * (defaults: the embedded live producer and GRTN simulators, memory:). Each runtime answers once to fill its cache or
 * ledger, then seven more times; the median and fastest of those are printed, with the time spent in ledger reads.
 * The ledger keeps recent range reads in process (RangeReadCache): the first answer of a process that did not write
 * the data (a restart, another replica) is also printed, read by a fresh store on the same database.
 * On PostgreSQL the bench uses a schema of its own and drops it at the end.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { fixedClock } from '../src/clock.js'
import { loadConfig } from '../src/config/load-config.js'
import { LedgerStore, parseStoreUrl } from '../src/ledger/index.js'
import { UsageMetrics } from '../src/observability/usage-metrics.js'
import { createRuntime } from '../src/runtime.js'
import { runUsageQuery } from '../src/usage/run-usage-query.js'
import type { UsageQuery } from '../src/usage/usage-query.js'

const sources = (process.argv[2] ?? 'simulated-aliyun-live-producer,simulated-aliyun-live-grtn').split(',')
const location = parseStoreUrl(process.argv[3] ?? 'memory:')
const schema = location.kind === 'postgres' ? `ledger_bench_${randomBytes(6).toString('hex')}` : undefined
const now = Date.parse('2026-11-20T10:30:00Z')
const clock = fixedClock(now)
const config = loadConfig({ USAGE_SIMULATOR_LATENCY_MS: '0' })
const query: UsageQuery = {
  from: Date.parse('2026-08-22T00:00:00Z'),
  to: Date.parse('2026-11-20T00:00:00Z'),
  granularity: 'hour',
  zone: 'UTC',
  metrics: null,
  groupBy: [],
  filters: { source: sources },
  strict: false
}

async function measure (label: string, withLedger: boolean): Promise<number> {
  const runtime = await createRuntime({ config, clock, overrides: { metrics: new UsageMetrics(), ledger: withLedger ? { location, schema } : false } })
  let readMs = 0
  const ledger = runtime.ledger
  const reads = ledger === null
    ? null
    : {
        readRange: async (read: Parameters<typeof ledger.readRange>[0]) => {
          const started = performance.now()
          try { return await ledger.readRange(read) } finally { readMs += performance.now() - started }
        },
        writeSettled: ledger.writeSettled.bind(ledger)
      }
  const answer = async () => await runUsageQuery(query, { sources: runtime.sources, clock, signal: new AbortController().signal, ledger: reads })
  try {
    await answer()
    readMs = 0
    const times: number[] = []
    let last = await answer()
    for (let run = 0; run < 7; run++) {
      const started = performance.now()
      last = await answer()
      times.push(performance.now() - started)
    }
    times.sort((left, right) => left - right)
    const median = times[3]!
    if (ledger !== null) {
      // A store with nothing cached over the same data: what a restarted process or another replica pays once.
      const store = ledger.current()
      const fresh = new LedgerStore({ driver: store.driver, schema: store.schema, clock })
      const started = performance.now()
      await runUsageQuery(query, { sources: runtime.sources, clock, signal: new AbortController().signal, ledger: fresh })
      console.log(`${label}, first answer of a store with nothing cached: ${(performance.now() - started).toFixed(0)} ms`)
    }
    console.log(`${label}: median ${median.toFixed(0)} ms, fastest ${times[0]!.toFixed(0)} ms; ledger reads ${(readMs / 8).toFixed(0)} ms per answer (summed over sources); ` +
      last.sources.map(source => `${source.id}: ${source.calls} calls, ${source.cachedCalls} cached, ${source.ledgerBuckets} ledger buckets`).join('; '))
    return median
  } finally {
    await runtime.close()
  }
}

async function main (): Promise<void> {
  const cached = await measure('in-memory cache', false)
  const fromLedger = await measure(`ledger (${location.description})`, true)
  console.log(`ledger speed relative to the cache: ${(cached / fromLedger).toFixed(3)}× (issue target: at least 0.5×)`)
}

async function dropBenchSchema (): Promise<void> {
  if (location.kind !== 'postgres' || schema === undefined) return
  const client = new pg.Client({ connectionString: location.connectionString })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

main().then(dropBenchSchema, async error => {
  console.error(error)
  await dropBenchSchema().catch(() => {})
  process.exit(1)
})
