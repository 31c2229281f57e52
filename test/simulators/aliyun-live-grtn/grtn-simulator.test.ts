import t from 'tap'
import { z } from 'zod'
import { fixedClock } from '../../../src/clock.js'
import type { RunningSimulator } from '../../../src/simulators/index.js'
import {
  GRTN_ACTION_NAME, GRTN_API_VERSION, GRTN_APP_IDS, GRTN_REGIONAL_AREAS, grtnTotalMinutes, startLiveGrtnSimulator
} from '../../../src/simulators/aliyun-live-grtn/grtn-simulator.js'
import { checkedBody } from '../../support/checked-body.js'
import { valueAt } from '../../support/value-at.js'
import { ACCOUNT, callAcs3, NOW, type CallAnswer, type SignedCall, type TapTest } from '../aliyun/aliyun-test-client.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const iso = (instant: number): string => new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z')

const itemSchema = z.object({ TimeStamp: z.string(), AppId: z.string().optional(), MediaType: z.string(), MediaProfile: z.string(), Duration: z.string() })
type Item = z.infer<typeof itemSchema>
const usageAnswerSchema = z.object({ RequestId: z.string(), StreamDetailData: z.object({ StreamData: z.array(itemSchema) }) })

/** The items of an answer with usage, checked; fails with the answer otherwise. */
function itemsOf (answer: CallAnswer): Item[] {
  return checkedBody(usageAnswerSchema, `${GRTN_ACTION_NAME}: ${answer.status} ${answer.text.slice(0, 1000)}`, answer.json).StreamDetailData.StreamData
}

/** Data tests call faster than 10 per second, so they raise the limit; the QPS test keeps the documented one. */
async function start (t: TapTest): Promise<RunningSimulator> {
  const simulator = await startLiveGrtnSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), qps: 1000 })
  t.teardown(() => simulator.close())
  return simulator
}

function grtn (url: string, parameters: Record<string, string>, extra: Partial<SignedCall> = {}): Promise<CallAnswer> {
  return callAcs3({ url, action: GRTN_ACTION_NAME, version: GRTN_API_VERSION, parameters: { Format: 'JSON', ...parameters }, ...extra })
}

async function items (url: string, parameters: Record<string, string>): Promise<Item[]> {
  const answer = await grtn(url, parameters)
  if (answer.status !== 200) throw new Error(`${answer.status} ${answer.text}`)
  return itemsOf(answer)
}

const sumOf = (list: readonly Item[]): number => list.reduce((sum, item) => sum + Number(item.Duration), 0)

/** Minutes per key, for comparing two answers bucket by bucket. */
function byKey (list: readonly Item[], key: (item: Item) => string): Map<string, number> {
  const totals = new Map<string, number>()
  for (const item of list) totals.set(key(item), (totals.get(key(item)) ?? 0) + Number(item.Duration))
  return totals
}

const DAY_RANGE = { StartTime: '2026-11-10T00:00:00Z', EndTime: '2026-11-10T23:59:59Z' }

t.test('a signed call answers StreamDetailData.StreamData items as documented', async t => {
  const simulator = await start(t)
  const answer = await grtn(simulator.url, { ...DAY_RANGE, Interval: '3600' })
  t.equal(answer.status, 200, answer.text.slice(0, 200))
  t.match(answer.json, { RequestId: String, StreamDetailData: { StreamData: Array } })
  const list = itemsOf(answer)
  t.ok(list.length > 0)
  for (const item of list) {
    t.match(item.TimeStamp, /^2026-11-10T\d{2}:00:00Z$/)
    t.equal(item.AppId, undefined, 'no AppId asked: all apps aggregated, no AppId in the items')
    t.match(item.Duration, /^[1-9]\d*$/, 'Duration is a numeric string, as in the docs\' JSON sample')
    t.ok(['audio', 'video'].includes(item.MediaType), 'audio or video', { found: item.MediaType })
  }
  t.same(list.filter(item => !((item.MediaType === 'audio') === (item.MediaProfile === '0'))), [], 'audio-only is profile "0", a string')
  t.same([...new Set(list.map(item => item.MediaProfile))].sort(), ['0', '1080P', '480P', '720P'])

  const xml = await grtn(simulator.url, { ...DAY_RANGE, Format: 'XML' })
  t.equal(xml.status, 200)
  t.match(xml.text, /^<\?xml[^>]*>\s*<DescribeLiveGrtnDurationResponse>/)
  t.match(xml.text, /<StreamDetailData>/)
})

t.test('the gateway checks the signature and the timestamp', async t => {
  const simulator = await start(t)
  const wrong = await grtn(simulator.url, DAY_RANGE, { secret: 'not-the-secret' })
  t.equal(wrong.status, 400)
  t.equal(valueAt(wrong.json, 'Code'), 'SignatureDoesNotMatch')
  t.equal(valueAt(wrong.json, 'HostId'), 'live.aliyuncs.com')
  const old = await grtn(simulator.url, DAY_RANGE, { date: NOW - 16 * MINUTE })
  t.equal(valueAt(old.json, 'Code'), 'InvalidTimeStamp.Expired')
})

t.test('parameters are validated with the documented codes and messages', async t => {
  const simulator = await start(t)
  const at = (instant: number) => iso(instant)
  const cases: Array<[string, Record<string, string>, string | null]> = [
    ['StartTime missing', { EndTime: '2026-11-10T01:00:00Z' }, 'InvalidStartTime.Malformed'],
    ['StartTime with a space', { StartTime: '2026-11-10 00:00:00', EndTime: '2026-11-10T01:00:00Z' }, 'InvalidStartTime.Malformed'],
    ['StartTime with an offset', { StartTime: '2026-11-10T08:00:00+08:00', EndTime: '2026-11-10T01:00:00Z' }, 'InvalidStartTime.Malformed'],
    ['StartTime with milliseconds', { StartTime: '2026-11-10T00:00:00.000Z', EndTime: '2026-11-10T01:00:00Z' }, 'InvalidStartTime.Malformed'],
    ['StartTime an impossible date', { StartTime: '2026-02-30T00:00:00Z', EndTime: '2026-11-10T01:00:00Z' }, 'InvalidStartTime.Malformed'],
    ['EndTime missing', { StartTime: '2026-11-10T00:00:00Z' }, 'InvalidEndTime.Malformed'],
    ['EndTime malformed', { StartTime: '2026-11-10T00:00:00Z', EndTime: '2026-11-10' }, 'InvalidEndTime.Malformed'],
    ['EndTime equal to StartTime', { StartTime: '2026-11-10T00:00:00Z', EndTime: '2026-11-10T00:00:00Z' }, 'InvalidEndTime.Mismatch'],
    ['EndTime before StartTime', { StartTime: '2026-11-10T01:00:00Z', EndTime: '2026-11-10T00:00:00Z' }, 'InvalidEndTime.Mismatch'],
    ['span 4:59', { StartTime: '2026-11-10T00:00:00Z', EndTime: '2026-11-10T00:04:59Z' }, 'InvalidTimeSpan'],
    ['span exactly 5 minutes', { StartTime: '2026-11-10T00:00:00Z', EndTime: '2026-11-10T00:05:00Z' }, null],
    ['span 31 days and a second', { StartTime: '2026-10-01T00:00:00Z', EndTime: '2026-11-01T00:00:01Z' }, 'InvalidTimeSpan'],
    ['span exactly 31 days', { StartTime: '2026-10-01T00:00:00Z', EndTime: '2026-11-01T00:00:00Z' }, null],
    ['90 days and a second back', { StartTime: at(NOW - 90 * DAY - 1000), EndTime: at(NOW - 89 * DAY) }, 'InvalidTime.ValueNotSupported'],
    ['exactly 90 days back', { StartTime: at(NOW - 90 * DAY), EndTime: at(NOW - 89 * DAY) }, null],
    ['31 app ids', { ...DAY_RANGE, AppId: [...GRTN_APP_IDS.slice(0, 30), 'extra-app'].join(',') }, 'InvalidAppIdParameter'],
    ['30 app ids', { ...DAY_RANGE, AppId: GRTN_APP_IDS.slice(0, 30).join(',') }, null],
    ['an empty app id in the list', { ...DAY_RANGE, AppId: `${GRTN_APP_IDS[0]},,${GRTN_APP_IDS[1]}` }, 'InvalidAppIdParameter'],
    ['an unknown area', { ...DAY_RANGE, Area: 'XX' }, 'InvalidAreaParameter'],
    ['an area in the wrong case', { ...DAY_RANGE, Area: 'cn' }, 'InvalidAreaParameter'],
    ['a list with one unknown area', { ...DAY_RANGE, Area: 'CN,Mars' }, 'InvalidAreaParameter'],
    ['every documented area', { ...DAY_RANGE, Area: 'CN,OverSeas,AP1,AP2,AP3,NA,SA,EU,MEAA' }, null]
  ]
  const messages: Record<string, string> = {
    'InvalidStartTime.Malformed': 'Specified StartTime is malformed.',
    'InvalidEndTime.Malformed': 'Specified EndTime is malformed.',
    'InvalidEndTime.Mismatch': 'Specified end time does not math the specified start time.',
    InvalidTimeSpan: 'The time span exceeds the limit.',
    'InvalidTime.ValueNotSupported': 'Specified Time is malformed.',
    InvalidAppIdParameter: 'The specified AppId parameter is invalid.',
    InvalidAreaParameter: 'The specified Area parameter is invalid.'
  }
  for (const [name, parameters, code] of cases) {
    const answer = await grtn(simulator.url, parameters)
    if (code === null) {
      t.equal(answer.status, 200, `${name}: accepted`)
      continue
    }
    t.equal(answer.status, 400, `${name}: 400`)
    t.match(answer.json, { Code: code, Message: messages[code], RequestId: String, HostId: 'live.aliyuncs.com', Recommend: /troubleshoot/ }, `${name}: ${code}`)
  }
})

t.test('Interval 300, 3600 and 86400 are honoured; anything else silently answers hourly (the documented quirk)', async t => {
  const simulator = await start(t)
  const range = { StartTime: '2026-11-09T00:00:00Z', EndTime: '2026-11-11T00:00:00Z' }
  const fine = await items(simulator.url, { ...range, Interval: '300' })
  t.ok(fine.some(item => !item.TimeStamp.endsWith(':00:00Z')), '5-minute TimeStamps', { found: fine })
  t.same(fine.filter(item => !(/:\d[05]:00Z$/.test(item.TimeStamp))), [])
  const hourly = await items(simulator.url, { ...range, Interval: '3600' })
  t.same(hourly.filter(item => !(item.TimeStamp.endsWith(':00:00Z'))), [])
  const daily = await items(simulator.url, { ...range, Interval: '86400' })
  t.same([...new Set(daily.map(item => item.TimeStamp))], ['2026-11-09T00:00:00Z', '2026-11-10T00:00:00Z', '2026-11-11T00:00:00Z'],
    'UTC days, and EndTime is inclusive: the day starting at EndTime is answered too')
  for (const interval of ['600', '60', 'abc', '3600.0', '']) {
    t.same(await items(simulator.url, { ...range, Interval: interval }), hourly, `Interval=${JSON.stringify(interval)} answers hourly`)
  }
  t.same(await items(simulator.url, range), hourly, 'no Interval answers hourly')
  const stats = simulator.stats.calls.filter(call => call.parameters.Interval === '600')
  t.equal(stats.length, 1, 'the stats record the Interval as sent')
  t.equal(stats[0]!.status, 200, 'and it was not refused')
})

t.test('coarser buckets are exact sums of finer ones, and everything equals the truth function', async t => {
  const simulator = await start(t)
  const range = { StartTime: '2026-11-09T00:00:00Z', EndTime: '2026-11-10T23:59:59Z' }
  const media = (item: Item) => `${item.MediaType}/${item.MediaProfile}`
  const fine = await items(simulator.url, { ...range, Interval: '300' })
  const hourly = await items(simulator.url, { ...range, Interval: '3600' })
  const daily = await items(simulator.url, { ...range, Interval: '86400' })
  const hourOf = (item: Item) => `${item.TimeStamp.slice(0, 13)}|${media(item)}`
  const dayOf = (item: Item) => `${item.TimeStamp.slice(0, 10)}|${media(item)}`
  t.same(byKey(fine, hourOf), byKey(hourly, hourOf), 'each hour is the sum of its twelve 5-minute slots')
  t.same(byKey(hourly, dayOf), byKey(daily, dayOf), 'each day is the sum of its 24 hours')
  t.equal(sumOf(daily), grtnTotalMinutes({ from: Date.parse('2026-11-09T00:00:00Z'), to: Date.parse('2026-11-11T00:00:00Z'), now: NOW }))
  t.same(await items(simulator.url, { ...range, Interval: '300' }), fine, 'deterministic: the same query, the same numbers')
})

t.test('app ids: named apps come back per app, and all 80 apps sum to the aggregated answer', async t => {
  const simulator = await start(t)
  t.equal(GRTN_APP_IDS.length, 80)
  t.equal(new Set(GRTN_APP_IDS).size, 80)
  const aggregated = await items(simulator.url, { ...DAY_RANGE, Interval: '3600' })
  const perApp: Item[] = []
  for (let index = 0; index < GRTN_APP_IDS.length; index += 30) {
    const named = GRTN_APP_IDS.slice(index, index + 30)
    const answer = await items(simulator.url, { ...DAY_RANGE, Interval: '3600', AppId: named.join(',') })
    t.same(answer.filter(item => !(item.AppId !== undefined && named.includes(item.AppId))), [], 'every item names one of the apps asked for')
    perApp.push(...answer)
  }
  const key = (item: Item) => `${item.TimeStamp}|${item.MediaType}|${item.MediaProfile}`
  t.same(byKey(perApp, key), byKey(aggregated, key), 'per-app items sum to the aggregated items')
  t.ok(new Set(perApp.map(item => item.AppId)).size > 60, 'most apps have usage on a day')
  t.same(await items(simulator.url, { ...DAY_RANGE, AppId: 'no-such-app' }), [], 'an unknown app has no usage, and is no error')
  const one = GRTN_APP_IDS[3]!
  t.equal(sumOf(await items(simulator.url, { ...DAY_RANGE, AppId: `${one},${one}` })), sumOf(await items(simulator.url, { ...DAY_RANGE, AppId: one })),
    'an app named twice is counted once')
})

t.test('areas: CN and OverSeas are disjoint and cover everything; regional areas are parts of OverSeas', async t => {
  const simulator = await start(t)
  const total = sumOf(await items(simulator.url, DAY_RANGE))
  const cn = sumOf(await items(simulator.url, { ...DAY_RANGE, Area: 'CN' }))
  const overseas = sumOf(await items(simulator.url, { ...DAY_RANGE, Area: 'OverSeas' }))
  t.ok(cn > 0 && overseas > 0)
  t.equal(cn + overseas, total)
  t.equal(sumOf(await items(simulator.url, { ...DAY_RANGE, Area: 'CN,OverSeas' })), total, 'a list is the union of its areas')
  let regional = 0
  for (const area of GRTN_REGIONAL_AREAS) regional += sumOf(await items(simulator.url, { ...DAY_RANGE, Area: area }))
  t.ok(regional > 0 && regional < overseas, 'the regional areas do not cover every overseas country')
  t.equal(sumOf(await items(simulator.url, { ...DAY_RANGE, Area: 'OverSeas,AP1' })), overseas, 'overlapping areas in one call are not counted twice')
})

t.test('no data after now; the slot holding now counts; a future range is empty', async t => {
  const simulator = await start(t)
  const fine = await items(simulator.url, { StartTime: '2026-11-20T09:00:00Z', EndTime: '2026-11-20T12:00:00Z', Interval: '300' })
  const last = Math.max(...fine.map(item => Date.parse(item.TimeStamp)))
  t.ok(last <= NOW, 'nothing after now')
  const hourly = await items(simulator.url, { StartTime: '2026-11-20T09:00:00Z', EndTime: '2026-11-20T12:00:00Z', Interval: '3600' })
  t.same([...new Set(hourly.map(item => item.TimeStamp))], ['2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'], 'the current hour is answered, later ones not')
  const currentHour = (list: Item[]) => sumOf(list.filter(item => item.TimeStamp >= '2026-11-20T10:00:00Z'))
  t.equal(currentHour(hourly), currentHour(fine), 'the current hour holds the slots up to now, exactly')
  t.same(await items(simulator.url, { StartTime: '2026-11-21T00:00:00Z', EndTime: '2026-11-22T00:00:00Z' }), [])
})

t.test('10 calls per second per account; the 11th is Throttling.User', async t => {
  const monotonic = 50_000
  const simulator = await startLiveGrtnSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), monotonicNow: () => monotonic })
  t.teardown(() => simulator.close())
  const answers = await Promise.all(Array.from({ length: 12 }, () => grtn(simulator.url, { ...DAY_RANGE, Interval: '86400' })))
  t.equal(answers.filter(answer => answer.status === 200).length, 10)
  const throttled = answers.filter(answer => answer.status !== 200)
  t.equal(throttled.length, 2)
  t.same(throttled.filter(answer => !(answer.status === 400 && valueAt(answer.json, 'Code') === 'Throttling.User')), [])
})
