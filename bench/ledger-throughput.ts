/**
 * Ledger throughput, outside the test suite (figures, not thresholds):
 *   node --import=@tapjs/typescript/import bench/ledger-throughput.ts [USAGE_STORE_URL]   (default memory:)
 * 1. one batched write of 2 000 hourly buckets × 10 records (one transaction, as one upstream call would);
 * 2. a 90-day hourly read (2 160 buckets × 20 records) of one source and variant, latest and as-of.
 * On PostgreSQL it works in a throwaway schema, dropped at the end.
 */
import { performance } from 'node:perf_hooks'
import { randomBytes } from 'node:crypto'
import { fixedClock } from '../src/clock.js'
import { openLedgerStore, parseStoreUrl, type LedgerRecordInput, type SettledBucketInput } from '../src/ledger/index.js'

const HOUR = 3_600_000
const FIRST = Date.UTC(2026, 7, 1)

function buckets (count: number, recordsPerBucket: number): SettledBucketInput[] {
  return Array.from({ length: count }, (_, index) => {
    const records: LedgerRecordInput[] = Array.from({ length: recordsPerBucket }, (_, record) => ({
      metric: record % 2 === 0 ? 'transcode.duration' : 'enhancement.duration',
      dimensions: { tier: `tier-${record}`, region: 'cn-shanghai', domain: 'live.example.com' },
      value: index * 1000 + record,
      unit: 'second'
    }))
    return { start: FIRST + index * HOUR, end: FIRST + (index + 1) * HOUR, records }
  })
}

const location = parseStoreUrl(process.argv[2] ?? 'memory:')
const schema = location.kind === 'postgres' ? `ledger_bench_${randomBytes(4).toString('hex')}` : undefined
const clock = fixedClock(Date.UTC(2026, 11, 1))
const store = await openLedgerStore({ location, schema, clock })
try {
  const writeBuckets = buckets(2000, 10)
  let started = performance.now()
  await store.writeSettled({ sourceId: 'bench-write', variant: 'hour', fetchedAt: clock.now(), requestId: null, buckets: writeBuckets })
  let elapsed = performance.now() - started
  console.log(`${location.description}: write 2000 buckets x 10 records in one transaction: ${elapsed.toFixed(0)} ms, ${Math.round(20_000 / (elapsed / 1000))} records/s`)

  started = performance.now()
  await store.writeSettled({ sourceId: 'bench-write', variant: 'hour', fetchedAt: clock.now(), requestId: null, buckets: writeBuckets })
  elapsed = performance.now() - started
  console.log(`${location.description}: rewrite of the same (all unchanged): ${elapsed.toFixed(0)} ms`)

  const readBuckets = buckets(2160, 20)
  for (let offset = 0; offset < readBuckets.length; offset += 720) {
    await store.writeSettled({ sourceId: 'bench-read', variant: 'hour', fetchedAt: clock.now(), requestId: null, buckets: readBuckets.slice(offset, offset + 720) })
  }
  for (const asOf of [null, clock.now()]) {
    const timings: number[] = []
    for (let round = 0; round < 5; round++) {
      started = performance.now()
      const read = await store.readRange({ sourceId: 'bench-read', variant: 'hour', from: FIRST, to: FIRST + 2160 * HOUR, asOf })
      timings.push(performance.now() - started)
      if (read.length !== 2160) throw new Error(`read ${read.length} buckets`)
    }
    timings.sort((left, right) => left - right)
    console.log(`${location.description}: 90-day hourly read (2160 buckets x 20 records${asOf === null ? '' : ', as-of'}): median ${timings[2]!.toFixed(0)} ms, best ${timings[0]!.toFixed(0)} ms`)
  }
} finally {
  if (schema !== undefined) await store.driver.query(`DROP SCHEMA "${schema}" CASCADE`)
  await store.close()
}
