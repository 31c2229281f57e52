import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import { GRTN_FIVE_MINUTES, GRTN_HOURLY } from '../../../src/providers/aliyun-live-grtn/grtn-adapter.js'
import { checkBucketGrid, convertGrtnDuration, type GrtnCallShape } from '../../../src/providers/aliyun-live-grtn/convert-grtn-duration.js'
import { grtnResponseSchema, type GrtnItem } from '../../../src/providers/aliyun-live-grtn/grtn-api.js'
import { convertAnswer } from '../../../src/providers/utils/provider-answer.js'

const at = (text: string): number => Date.parse(text)
const HOURLY_WINDOW = { from: at('2026-11-10T00:00:00Z'), to: at('2026-11-10T03:00:00Z') }

function shape (overrides: Partial<GrtnCallShape> = {}): GrtnCallShape {
  return { window: HOURLY_WINDOW, grid: GRTN_HOURLY, dimensions: {}, apps: null, ...overrides }
}

/** Items as the API sends them, through the raw schema, as the adapter reads them. */
function parse (items: unknown[]): GrtnItem[] {
  const parsed = grtnResponseSchema.safeParse({ RequestId: 'REQ', StreamDetailData: { StreamData: items } })
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message)
  return parsed.data.StreamDetailData?.StreamData ?? []
}

const item = (fields: Record<string, unknown> = {}) => ({ TimeStamp: '2026-11-10T01:00:00Z', MediaType: 'video', MediaProfile: '720P', Duration: 30, ...fields })

t.test('minutes become seconds exactly, as numbers and as numeric strings', async t => {
  const records = convertGrtnDuration(parse([
    item({ Duration: 30 }),
    item({ Duration: '423304182', TimeStamp: '2026-11-10T02:00:00Z' }),
    item({ Duration: ' 7 ', MediaType: 'audio', MediaProfile: '0' }),
    item({ Duration: 0, MediaProfile: '1080P' })
  ]), shape())
  t.same(records, [
    { metric: 'costreaming.duration', start: at('2026-11-10T01:00:00Z'), end: at('2026-11-10T02:00:00Z'), value: 1800, dimensions: { service: 'live-grtn', mediaType: 'video', mediaProfile: '720P' } },
    { metric: 'costreaming.duration', start: at('2026-11-10T02:00:00Z'), end: at('2026-11-10T03:00:00Z'), value: 423304182 * 60, dimensions: { service: 'live-grtn', mediaType: 'video', mediaProfile: '720P' } },
    { metric: 'costreaming.duration', start: at('2026-11-10T01:00:00Z'), end: at('2026-11-10T02:00:00Z'), value: 420, dimensions: { service: 'live-grtn', mediaType: 'audio', mediaProfile: '0' } },
    { metric: 'costreaming.duration', start: at('2026-11-10T01:00:00Z'), end: at('2026-11-10T02:00:00Z'), value: 0, dimensions: { service: 'live-grtn', mediaType: 'video', mediaProfile: '1080P' } }
  ], 'profile "0" (audio-only) stays the string "0"; a reported 0 is a real zero')
})

t.test('5-minute buckets are 5 minutes long; the call\'s area rides on every record', async t => {
  const window = { from: at('2026-11-10T00:30:00Z'), to: at('2026-11-10T01:30:00Z') }
  const records = convertGrtnDuration(parse([item({ TimeStamp: '2026-11-10T00:35:00Z' }), item({ TimeStamp: '2026-11-10T00:40:00Z' })]),
    shape({ window, grid: GRTN_FIVE_MINUTES, dimensions: { area: 'CN' } }))
  t.same(records.map(record => [record.end - record.start, record.dimensions.area]), [[300_000, 'CN'], [300_000, 'CN']])
})

t.test('missing MediaType or MediaProfile leaves that dimension out rather than inventing one', async t => {
  const [record] = convertGrtnDuration(parse([{ TimeStamp: '2026-11-10T01:00:00Z', Duration: 5 }]), shape())
  t.same(record?.dimensions, { service: 'live-grtn' })
  t.equal(record?.value, 300)
})

t.test('buckets outside the window are dropped: they belong to the neighbouring window', async t => {
  const window = { from: at('2026-11-10T00:30:00Z'), to: at('2026-11-10T01:00:00Z') }
  const records = convertGrtnDuration(parse([
    item({ TimeStamp: '2026-11-10T00:25:00Z' }),
    item({ TimeStamp: '2026-11-10T00:30:00Z' }),
    item({ TimeStamp: '2026-11-10T00:55:00Z' }),
    item({ TimeStamp: '2026-11-10T01:00:00Z' }),
    item({ TimeStamp: '2026-11-10T01:05:00Z' })
  ]), shape({ window, grid: GRTN_FIVE_MINUTES }))
  t.same(records.map(record => new Date(record.start).toISOString()), ['2026-11-10T00:30:00.000Z', '2026-11-10T00:55:00.000Z'])
  const hourly = convertGrtnDuration(parse([item({ TimeStamp: '2026-11-10T00:00:00Z' }), item({ TimeStamp: '2026-11-10T03:00:00Z' })]), shape())
  t.same(hourly.map(record => record.start), [at('2026-11-10T00:00:00Z')], 'the bucket starting at the window end (EndTime is sent as the window end) is the next window\'s')
})

t.test('apps: records name the app of each item, which must be one the call asked for', async t => {
  const apps = ['app-a', 'app-b']
  const records = convertGrtnDuration(parse([item({ AppId: 'app-a' }), item({ AppId: 'app-b', Duration: '2' })]), shape({ apps }))
  t.same(records.map(record => [record.dimensions.app, record.value]), [['app-a', 1800], ['app-b', 120]])

  t.throws(() => convertGrtnDuration(parse([item({ AppId: 'app-z' })]), shape({ apps })), { code: 'UPSTREAM_MALFORMED', message: /app-z.*did not ask for/ })
  t.throws(() => convertGrtnDuration(parse([item()]), shape({ apps })), { code: 'UPSTREAM_MALFORMED', message: /no AppId.*2 apps/ },
    'an item without AppId from a several-app call cannot be attributed')
  const single = convertGrtnDuration(parse([item()]), shape({ apps: ['app-a'] }))
  t.equal(single[0]?.dimensions.app, 'app-a', 'one app asked: its item is that app\'s')
  const all = convertGrtnDuration(parse([item(), item({ AppId: 'app-q' })]), shape())
  t.same(all.map(record => record.dimensions.app), [undefined, 'app-q'], 'no app asked: an AppId given is kept, none invented')
})

t.test('junk is refused, never coerced to a number', async t => {
  const junk: Array<[string, Record<string, unknown>]> = [
    ['negative Duration', { Duration: -1 }],
    ['fractional Duration', { Duration: 1.5 }],
    ['fractional string Duration', { Duration: '1.5' }],
    ['negative string Duration', { Duration: '-3' }],
    ['word Duration', { Duration: 'abc' }],
    ['empty Duration', { Duration: '' }],
    ['object Duration', { Duration: { Value: 3 } }],
    ['null Duration', { Duration: null }],
    ['missing Duration', { Duration: undefined }],
    ['numeric MediaProfile', { MediaProfile: 0 }],
    ['numeric TimeStamp', { TimeStamp: 1_700_000_000 }]
  ]
  for (const [name, fields] of junk) {
    const parsed = grtnResponseSchema.safeParse({ StreamDetailData: { StreamData: [item(fields)] } })
    t.equal(parsed.success, false, name)
  }
  t.equal(grtnResponseSchema.safeParse({ StreamDetailData: { StreamData: { TimeStamp: 'x' } } }).success, false, 'a list that is not a list')
  t.equal(grtnResponseSchema.safeParse({ RequestId: 'R' }).success, true, 'an answer without data is an empty answer (shape undocumented)')

  const badTimes = ['2026-11-10 01:00:00', '2026-11-10T01:00:00+08:00', '2026-11-10T01:00:00.000Z', 'yesterday', '2026-13-10T01:00:00Z']
  for (const TimeStamp of badTimes) {
    t.throws(() => convertGrtnDuration(parse([item({ TimeStamp })]), shape()), { code: 'UPSTREAM_MALFORMED' }, `TimeStamp ${TimeStamp}`)
  }
  t.throws(() => convertGrtnDuration(parse([item({ Duration: '999999999999999' })]), shape()), { code: 'UPSTREAM_MALFORMED', message: /past 9007199254740991/ },
    'minutes whose seconds pass 2^53 cannot be counted exactly')
})

t.test('a bucket off the grid asked for is refused', async t => {
  t.throws(() => convertGrtnDuration(parse([item({ TimeStamp: '2026-11-10T01:05:00Z' })]), shape()), { code: 'UPSTREAM_MALFORMED', message: /not on the hour \(UTC\) grid/ })
  const window = { from: at('2026-11-10T00:30:00Z'), to: at('2026-11-10T01:30:00Z') }
  t.throws(() => convertGrtnDuration(parse([item({ TimeStamp: '2026-11-10T00:37:00Z' })]), shape({ window, grid: GRTN_FIVE_MINUTES })), { code: 'UPSTREAM_MALFORMED' })
})

t.test('the hourly fallback is recognised and refused when 5-minute buckets were asked for', async t => {
  const grid = GRTN_FIVE_MINUTES
  const refused: Array<[string, { from: string, to: string }, string[]]> = [
    ['two whole hours where :30 slots exist', { from: '2026-11-10T00:30:00Z', to: '2026-11-10T02:30:00Z' }, ['2026-11-10T01:00:00Z', '2026-11-10T02:00:00Z']],
    ['one hour bucket before the window start', { from: '2026-11-10T00:30:00Z', to: '2026-11-10T00:55:00Z' }, ['2026-11-10T00:00:00Z']],
    ['whole hours in a window starting on the hour', { from: '2026-11-10T00:00:00Z', to: '2026-11-11T00:00:00Z' }, ['2026-11-10T00:00:00Z', '2026-11-10T05:00:00Z', '2026-11-10T09:00:00Z']]
  ]
  for (const [name, window, starts] of refused) {
    t.throws(() => checkBucketGrid(starts.map(at), { from: at(window.from), to: at(window.to) }, grid),
      { code: 'UPSTREAM_MALFORMED', message: /fallen back to hourly/ }, name)
  }
  const accepted: Array<[string, { from: string, to: string }, string[]]> = [
    ['5-minute buckets, some on the hour', { from: '2026-11-10T00:30:00Z', to: '2026-11-10T02:30:00Z' }, ['2026-11-10T00:35:00Z', '2026-11-10T01:00:00Z', '2026-11-10T02:00:00Z']],
    ['one on-the-hour slot in the window (sparse data looks the same)', { from: '2026-11-10T00:00:00Z', to: '2026-11-10T01:00:00Z' }, ['2026-11-10T00:00:00Z']],
    ['a one-slot window on the hour and the next window\'s slot', { from: '2026-11-10T00:00:00Z', to: '2026-11-10T00:05:00Z' }, ['2026-11-10T00:00:00Z', '2026-11-10T00:05:00Z']],
    ['nothing at all', { from: '2026-11-10T00:30:00Z', to: '2026-11-10T02:30:00Z' }, []]
  ]
  for (const [name, window, starts] of accepted) {
    t.doesNotThrow(() => checkBucketGrid(starts.map(at), { from: at(window.from), to: at(window.to) }, grid), name)
  }
  t.doesNotThrow(() => checkBucketGrid([at('2026-11-10T00:00:00Z'), at('2026-11-10T01:00:00Z')], HOURLY_WINDOW, GRTN_HOURLY), 'hours are what an hourly call should get')
})

t.test('a refused answer keeps the request id for the support ticket', async t => {
  const answer = { api: 'DescribeLiveGrtnDuration', requestId: 'REQ-42' }
  const error = t.throws(() => convertAnswer(answer, () => convertGrtnDuration(parse([item({ TimeStamp: '2026-11-10T01:05:00Z' })]), shape()))) as unknown
  t.ok(error instanceof UpstreamError)
  t.equal((error as UpstreamError).requestId, 'REQ-42')
  t.equal((error as UpstreamError).code, 'UPSTREAM_MALFORMED')
})
