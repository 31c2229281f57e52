import t from 'tap'
import { z } from 'zod'
import { fixedClock } from '../../../src/clock.js'
import { MPS_ACTIVE_REGIONS, mpsTaskDay, mpsUsageTotal, startTencentMpsSimulator } from '../../../src/simulators/tencent-mps/tencent-mps-simulator.js'
import type { RunningSimulator } from '../../../src/simulators/shared/simulator-server.js'
import { NOW, TENCENT_ACCOUNT, callTencent, plus8, type TencentAnswer } from '../../providers/tencent-mps/tencent-test-client.js'
import { checkedBody } from '../../support/checked-body.js'

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const DAY = 86_400_000
/** 2026-11-01T00:00:00+08:00 */
const NOV_1 = Date.parse('2026-10-31T16:00:00Z')
/** Start of the UTC+08:00 day holding NOW (2026-11-20T18:30+08:00). */
const TODAY = Date.parse('2026-11-19T16:00:00Z')

async function start (t: TapTest, options: { now?: number, qps?: number, monotonicNow?: () => number } = {}): Promise<RunningSimulator> {
  const simulator = await startTencentMpsSimulator({ accounts: [TENCENT_ACCOUNT], clock: fixedClock(options.now ?? NOW), qps: options.qps, monotonicNow: options.monotonicNow } as Parameters<typeof startTencentMpsSimulator>[0])
  t.teardown(() => simulator.close())
  return simulator
}

const usage = (url: string, payload: Record<string, unknown>, now = NOW): Promise<TencentAnswer> =>
  callTencent({ url, payload, timestamp: Math.floor(now / 1000) })

const errorAnswerSchema = z.object({ Response: z.object({ Error: z.object({ Code: z.string() }), RequestId: z.string() }) })

function errorCode (answer: TencentAnswer): string | undefined {
  const parsed = errorAnswerSchema.safeParse(answer.json)
  return parsed.success ? parsed.data.Response.Error.Code : undefined
}

/** Any answer's RequestId, an error's or data's. */
function requestIdOf (answer: TencentAnswer): unknown {
  return z.object({ Response: z.object({ RequestId: z.unknown() }) }).safeParse(answer.json).data?.Response.RequestId
}

/**
 * The simulator's answer as this test reads it: stricter than what the adapter accepts from the real API
 * (src/providers/tencent-mps/mps-api.ts), since the simulator always lists every day and every Specification.
 */
const dayItemSchema = z.object({ Time: z.string(), Count: z.number(), Usage: z.number() })
const usageAnswerSchema = z.object({
  Response: z.object({
    Data: z.array(z.object({
      TaskType: z.string(),
      Summary: z.array(dayItemSchema),
      Details: z.array(z.object({ Specification: z.string(), Data: z.array(dayItemSchema) }))
    })),
    RequestId: z.string()
  })
})

/** Response.Data of an answer that must carry usage (fails with the answer otherwise). */
function dataOf (answer: TencentAnswer): z.infer<typeof usageAnswerSchema>['Response']['Data'] {
  return checkedBody(usageAnswerSchema, `DescribeUsageData: ${answer.status} ${answer.text.slice(0, 1000)}`, answer.json).Response.Data
}

const sumOf = (items: Array<{ Usage: number, Count: number }>, field: 'Usage' | 'Count'): number => items.reduce((sum, item) => sum + item[field], 0)

t.test('parameters are validated like the documented API, errors in a 200', async t => {
  const simulator = await start(t)
  const from = plus8(NOV_1)
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['StartTime missing', { EndTime: from }, 'MissingParameter'],
    ['EndTime missing', { StartTime: from }, 'MissingParameter'],
    ['StartTime not a string', { StartTime: 20261101, EndTime: from }, 'InvalidParameter'],
    ['no offset', { StartTime: '2026-11-01T00:00:00', EndTime: from }, 'InvalidParameterValue'],
    ['a date only', { StartTime: '2026-11-01', EndTime: from }, 'InvalidParameterValue'],
    ['an impossible date', { StartTime: '2026-02-30T00:00:00+08:00', EndTime: from }, 'InvalidParameterValue'],
    ['EndTime before StartTime', { StartTime: plus8(NOV_1 + DAY), EndTime: from }, 'InvalidParameterValue'],
    ['span over 90 days', { StartTime: plus8(NOV_1 - 90 * DAY), EndTime: plus8(NOV_1 + 1000) }, 'InvalidParameterValue'],
    ['older than 365 days', { StartTime: plus8(NOW - 366 * DAY), EndTime: plus8(NOW - 300 * DAY) }, 'InvalidParameterValue'],
    ['unknown Type', { StartTime: from, EndTime: from, Types: ['Transcode', 'Transcoding'] }, 'InvalidParameterValue'],
    ['unknown region', { StartTime: from, EndTime: from, ProcessRegions: ['ap-nowhere'] }, 'InvalidParameterValue'],
    ['Types not a list', { StartTime: from, EndTime: from, Types: 'Transcode' }, 'InvalidParameter'],
    ['unknown parameter', { StartTime: from, EndTime: from, Region: 'ap-guangzhou' }, 'UnknownParameter'],
    ['a client-private marker leaking out', { StartTime: from, EndTime: from, '(breakdown)': 'Specification' }, 'UnknownParameter']
  ]
  for (const [name, payload, code] of cases) {
    const answer = await usage(simulator.url, payload)
    t.equal(answer.status, 200, name)
    t.equal(errorCode(answer), code, name)
    t.match(requestIdOf(answer), /^[0-9a-f-]{36}$/)
  }
  const ok = [
    ['EndTime equal to StartTime', { StartTime: from, EndTime: from }],
    ['exactly 90 days', { StartTime: plus8(NOV_1 - 90 * DAY), EndTime: from }],
    ['exactly 365 days back', { StartTime: plus8(NOW - 365 * DAY), EndTime: plus8(NOW - 300 * DAY) }],
    ['Z times', { StartTime: '2026-10-31T16:00:00Z', EndTime: '2026-11-01T15:59:59Z' }]
  ] as const
  for (const [name, payload] of ok) t.equal(errorCode(await usage(simulator.url, payload)), undefined, name)
})

t.test('the trap: without Types and ProcessRegions only Transcode in ap-guangzhou is answered', async t => {
  const simulator = await start(t)
  const window = { StartTime: plus8(NOV_1), EndTime: plus8(NOV_1 + 6 * DAY) }
  const narrow = await usage(simulator.url, window)
  t.same(dataOf(narrow).map(entry => entry.TaskType), ['Transcode'])
  const guangzhouTranscode = mpsUsageTotal({ from: NOV_1, to: NOV_1 + 7 * DAY }, { now: NOW, regions: ['ap-guangzhou'], taskTypes: ['Transcode'], field: 'usage' })
  t.equal(sumOf(dataOf(narrow)[0]!.Summary, 'Usage'), guangzhouTranscode)
  t.same(simulator.stats.calls[0]!.parameters, window, 'the call really omitted them')

  const full = await usage(simulator.url, { ...window, Types: ['Transcode'], ProcessRegions: [...MPS_ACTIVE_REGIONS] })
  t.ok(sumOf(dataOf(full)[0]!.Summary, 'Usage') > guangzhouTranscode, 'other regions have Transcode usage the default hides')
  const everything = await usage(simulator.url, { ...window, Types: ['Transcode', 'Snapshot', 'AIReview'] })
  t.same(dataOf(everything).map(entry => entry.TaskType), ['Transcode', 'Snapshot', 'AIReview'])
  t.ok(sumOf(dataOf(everything)[1]!.Summary, 'Usage') > 0, 'other types have usage the default hides')
  t.equal(errorCode(await usage(simulator.url, { ...window, Types: [], ProcessRegions: [] })), undefined, 'empty lists mean the defaults too')
})

t.test('days: UTC+08:00, from StartTime\'s day through EndTime\'s day inclusive, none after now', async t => {
  const simulator = await start(t)
  const answer = await usage(simulator.url, { StartTime: plus8(NOV_1), EndTime: plus8(NOV_1 + 2 * DAY), Types: ['Transcode'] })
  t.same(dataOf(answer)[0]!.Summary.map(item => item.Time),
    ['2026-11-01T00:00:00+08:00', '2026-11-02T00:00:00+08:00', '2026-11-03T00:00:00+08:00'], 'EndTime\'s day is included')
  const midDay = await usage(simulator.url, { StartTime: '2026-11-01T13:00:00+08:00', EndTime: '2026-11-02T09:00:00+08:00', Types: ['Transcode'] })
  t.same(dataOf(midDay)[0]!.Summary.map(item => item.Time), ['2026-11-01T00:00:00+08:00', '2026-11-02T00:00:00+08:00'], 'whole days around both times')
  t.same(dataOf(midDay)[0]!.Summary, dataOf(answer)[0]!.Summary.slice(0, 2), 'a day is the same whichever times select it')

  const recent = await usage(simulator.url, { StartTime: plus8(TODAY - DAY), EndTime: plus8(TODAY + 5 * DAY), Types: ['Transcode'] })
  t.same(dataOf(recent)[0]!.Summary.map(item => item.Time), ['2026-11-19T00:00:00+08:00', '2026-11-20T00:00:00+08:00'], 'no day after now')
  const future = await usage(simulator.url, { StartTime: plus8(TODAY + DAY), EndTime: plus8(TODAY + 2 * DAY), Types: ['Transcode'] })
  t.same(dataOf(future)[0]!.Summary, [])
})

t.test('today is partial and only grows; finished days never change', async t => {
  const earlyNow = TODAY + 6 * 3_600_000
  const lateNow = NOW + 10 * DAY
  const early = await start(t, { now: earlyNow })
  const late = await start(t, { now: lateNow })
  const payload = { StartTime: plus8(TODAY - DAY), EndTime: plus8(TODAY), Types: ['Transcode', 'Snapshot'], ProcessRegions: [...MPS_ACTIVE_REGIONS] }
  const [before, after] = await Promise.all([usage(early.url, payload, earlyNow), usage(late.url, payload, lateNow)])
  for (const index of [0, 1]) {
    const [yesterdayBefore, todayBefore] = dataOf(before)[index]!.Summary
    const [yesterdayAfter, todayAfter] = dataOf(after)[index]!.Summary
    t.same(yesterdayBefore, yesterdayAfter)
    t.ok(todayBefore!.Usage < todayAfter!.Usage && todayBefore!.Count <= todayAfter!.Count, 'today so far is less than the whole day', { found: { todayBefore, todayAfter } })
  }
})

t.test('Details per Specification add up to Summary exactly; types without sub-specifications have none', async t => {
  const simulator = await start(t)
  const answer = await usage(simulator.url, { StartTime: plus8(NOV_1 - 80 * DAY), EndTime: plus8(NOV_1 + 9 * DAY), Types: ['Transcode', 'Enhance', 'Snapshot', 'AIAnalysis', 'AIReview', 'AnimatedGraphics', 'ImageProcess'], ProcessRegions: [...MPS_ACTIVE_REGIONS] })
  for (const entry of dataOf(answer)) {
    t.equal(entry.Summary.length, 90, `${entry.TaskType}: 90 days`)
    if (entry.TaskType === 'AIReview' || entry.TaskType === 'AnimatedGraphics') {
      t.same(entry.Details, [], `${entry.TaskType}: no sub-specifications`)
      continue
    }
    t.ok(entry.Details.length > 1, `${entry.TaskType}: several specifications`)
    entry.Summary.forEach((item, index) => {
      const usageSum = entry.Details.reduce((sum, detail) => sum + detail.Data[index]!.Usage, 0)
      const countSum = entry.Details.reduce((sum, detail) => sum + detail.Data[index]!.Count, 0)
      if (usageSum !== item.Usage || countSum !== item.Count) t.fail(`${entry.TaskType} ${item.Time}: details ${usageSum}/${countSum}, summary ${item.Usage}/${item.Count}`)
    })
  }
  const oneRegion = await usage(simulator.url, { StartTime: plus8(NOV_1 - 80 * DAY), EndTime: plus8(NOV_1 + 9 * DAY), Types: ['Transcode', 'AIReview'] })
  for (const entry of dataOf(oneRegion)) {
    t.ok(entry.Summary.some(item => item.Usage === 0) && entry.Summary.some(item => item.Usage > 0), `${entry.TaskType}: idle and busy days in one region`, { found: entry.Summary })
  }
  t.same(dataOf(answer).flatMap(entry => entry.Summary.filter(item => !(Number.isSafeInteger(item.Usage) && Number.isSafeInteger(item.Count) && item.Usage >= 0 && item.Count >= 0))), [])
})

t.test('deterministic, additive over regions, and equal to the exported truth', async t => {
  const simulator = await start(t)
  const window = { StartTime: plus8(NOV_1), EndTime: plus8(NOV_1 + 13 * DAY), Types: ['Transcode', 'AIGCVideo'] }
  const both = await usage(simulator.url, { ...window, ProcessRegions: ['ap-guangzhou', 'eu-frankfurt'] })
  const again = await usage(simulator.url, { ...window, ProcessRegions: ['ap-guangzhou', 'eu-frankfurt'] })
  t.same(dataOf(both), dataOf(again))
  const guangzhou = await usage(simulator.url, { ...window, ProcessRegions: ['ap-guangzhou'] })
  const frankfurt = await usage(simulator.url, { ...window, ProcessRegions: ['eu-frankfurt'] })
  dataOf(both).forEach((entry, typeIndex) => {
    t.same(entry.Summary.map(item => item.Usage), entry.Summary.map((_, day) =>
      dataOf(guangzhou)[typeIndex]!.Summary[day]!.Usage + dataOf(frankfurt)[typeIndex]!.Summary[day]!.Usage), `${entry.TaskType}: regions add up`)
  })
  const inactive = await usage(simulator.url, { ...window, ProcessRegions: ['aws'] })
  t.same(dataOf(inactive).flatMap(entry => entry.Summary.filter(item => !(item.Usage === 0 && item.Count === 0))), [], 'a region without processing answers zeros, every day listed')
  const answered = dataOf(both).reduce((sum, entry) => sum + sumOf(entry.Summary, 'Usage') + sumOf(entry.Summary, 'Count'), 0)
  t.equal(answered, mpsUsageTotal({ from: NOV_1, to: NOV_1 + 14 * DAY }, { now: NOW, regions: ['ap-guangzhou', 'eu-frankfurt'], taskTypes: ['Transcode', 'AIGCVideo'] }))
  t.same(mpsTaskDay(['ap-guangzhou'], 'Transcode', NOV_1, NOW), mpsTaskDay(['ap-guangzhou'], 'Transcode', NOV_1, NOW + 100 * DAY), 'a finished day does not depend on now')
})

t.test('QPS is per SecretId and documented at 100 by default', async t => {
  const frozen = 5_000
  const simulator = await start(t, { qps: 3, monotonicNow: () => frozen })
  const payload = { StartTime: plus8(NOV_1), EndTime: plus8(NOV_1) }
  const answers = await Promise.all(Array.from({ length: 5 }, () => usage(simulator.url, payload)))
  t.same(answers.map(errorCode).sort(), [undefined, undefined, undefined, 'RequestLimitExceeded', 'RequestLimitExceeded'].sort())
  const defaults = await start(t, { monotonicNow: () => frozen })
  const many = await Promise.all(Array.from({ length: 101 }, () => usage(defaults.url, payload)))
  t.equal(many.filter(answer => errorCode(answer) === 'RequestLimitExceeded').length, 1)
})
