/**
 * The sliding window of bench scenario 7, shortened: "last 7 days by day" asked at 24 hourly steps of a fixed clock
 * against the embedded simulators with a memory: ledger. The upstream calls are counted (deterministic, no timing)
 * and must equal the floor of bench/lib/sliding-floor.ts: each native bucket fetched once settled, plus one refresh
 * per provisional TTL while not.
 */
import t from 'tap'
import { HOUR_MS, measureSlidingWindow, slidingSteps } from '../../bench/sliding-window.js'
import { slidingFloor } from '../../bench/lib/sliding-floor.js'
import { GRTN_HOURLY } from '../../src/providers/aliyun-live-grtn/grtn-adapter.js'

const window = { start: Date.parse('2026-11-20T10:30:00Z'), steps: 24, stepMs: HOUR_MS, zone: 'Asia/Shanghai', days: 7 }
const GRTN = 'simulated-aliyun-live-grtn'
const MPS = 'simulated-tencent-mps'
const IMS = 'simulated-aliyun-ims'

t.test('the floor itself: one call at the first query, then one refresh per step once the provisional TTL has passed', async t => {
  const steps = slidingSteps(window)
  const source = { kind: 'grid' as const, grid: GRTN_HOURLY, longestWindowMs: 31 * 24 * HOUR_MS, lookbackMs: 90 * 24 * HOUR_MS, settleDelayMs: 4 * HOUR_MS, variants: 1 }
  const hourly = slidingFloor(source, steps, 60_000)
  t.same(hourly.perStep, steps.map(() => 1))
  // 10:30Z on day 0 is 18:30 in Shanghai: 6 days and 19 hours have begun; then each step asks again for the 4 hours
  // still inside the settle delay, the hour that was current and the new one.
  t.equal(hourly.buckets, 6 * 24 + 19 + 23 * 6)
  // Steps shorter than the TTL (here 1 h): a call when a new hour begins (11:00, 12:00) or the answer of 10:30 has
  // expired (11:30); 10:45, 11:15, 11:45, 12:15 need none.
  const quarterHours = slidingSteps({ ...window, steps: 8, stepMs: HOUR_MS / 4 })
  t.same(slidingFloor(source, quarterHours, 60 * 60_000).perStep, [1, 0, 1, 0, 1, 0, 1, 0])
  // A span limit shorter than the window needs more than one call at the first query.
  t.equal(slidingFloor({ ...source, longestWindowMs: 2 * 24 * HOUR_MS }, steps, 60_000).perStep[0], 4)
})

t.test('with a memory: ledger, the calls equal the floor for the sources with native buckets', async t => {
  const result = await measureSlidingWindow({ ...window, ledger: true, sources: [GRTN, MPS] })
  for (const source of result.sources) {
    t.equal(source.notOk, 0, `${source.id}: every answer ok`)
    t.ok(source.floor >= window.steps, `${source.id}: a floor of at least one call per step`)
    t.equal(source.simulatorCalls, source.calls, `${source.id}: the simulator saw the calls counted`)
    t.equal(source.calls, source.floor, `${source.id}: calls = floor`)
    t.same(source.callsPerStep, source.floorPerStep, `${source.id}: step by step`)
    t.equal(source.bucketsAsked, source.bucketsFloor, `${source.id}: each native bucket asked for as often as the floor says`)
    t.ok(source.ledgerBuckets > 0, `${source.id}: settled buckets answered from the ledger`)
  }
})

t.test('without a ledger the calls are the same, but every call asks for the whole window again', async t => {
  const result = await measureSlidingWindow({ ...window, ledger: false, sources: [GRTN] })
  const grtn = result.sources[0]!
  t.equal(grtn.calls, grtn.floor)
  t.ok(grtn.bucketsAsked! > 5 * grtn.bucketsFloor!, `${grtn.bucketsAsked} buckets asked against a floor of ${grtn.bucketsFloor}`)
})

t.test('IMS (no native buckets, not kept): at the floor while the cache keeps settled totals; the final TTL is what costs more', async t => {
  const longCache = await measureSlidingWindow({ ...window, steps: 25, ledger: false, sources: [IMS], environment: { USAGE_CACHE_FINAL_TTL_MS: String(30 * 24 * HOUR_MS) } })
  t.equal(longCache.sources[0]!.calls, longCache.sources[0]!.floor)
  // The default final TTL (24 h): a settled day's total cached at the first query is asked for again a day later.
  const dayCache = await measureSlidingWindow({ ...window, steps: 25, ledger: false, sources: [IMS] })
  const ims = dayCache.sources[0]!
  t.ok(ims.calls > ims.floor)
  t.equal(ims.callsPerStep[24]! - ims.floorPerStep[24]!, 4, 'the 4 settled days still in the window, fetched at the first query')
})
