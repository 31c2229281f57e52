import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import { convertMpsUsage, type ConvertMpsOptions } from '../../../src/providers/tencent-mps/convert-mps-usage.js'
import { mpsUsageResponseSchema } from '../../../src/providers/tencent-mps/mps-api.js'
import { MPS_TASK_TYPES } from '../../../src/providers/tencent-mps/mps-api.js'
import { UTC8_DAY_GRID, formatUtcPlus8, parseIsoWithOffset } from '../../../src/providers/tencent-mps/mps-time.js'

const DAY = 86_400_000
const NOV_1 = Date.parse('2026-10-31T16:00:00Z')
const window = { from: NOV_1, to: NOV_1 + 2 * DAY }
const summaryOptions: ConvertMpsOptions = { window, grid: UTC8_DAY_GRID, breakdown: 'summary', dimensions: {} }
const specOptions: ConvertMpsOptions = { ...summaryOptions, breakdown: 'specification' }

/** Parses like the adapter (schema, then converter) and sorts records for comparison. */
function convert (response: unknown, options: ConvertMpsOptions = summaryOptions) {
  const parsed = mpsUsageResponseSchema.safeParse(response)
  if (!parsed.success) throw new UpstreamError('UPSTREAM_MALFORMED', parsed.error.issues[0]?.message ?? 'schema')
  return convertMpsUsage(parsed.data.Data ?? [], options)
    .map(record => [record.metric, formatUtcPlus8(record.start), (record.end - record.start) / DAY, record.value, record.dimensions] as const)
}

const item = (day: string, count: unknown, usage: unknown) => ({ Time: `2026-11-${day}T00:00:00+08:00`, Count: count, Usage: usage })

t.test('Usage and Count per day, in canonical metrics with service and task', async t => {
  const records = convert({
    Data: [{ TaskType: 'Transcode', Summary: [item('01', 22, 2200), item('02', '3', '300')], Details: [] }],
    RequestId: 'r'
  })
  t.same(records, [
    ['transcode.duration', '2026-11-01T00:00:00+08:00', 1, 2200, { service: 'mps', task: 'Transcode' }],
    ['tasks.count', '2026-11-01T00:00:00+08:00', 1, 22, { service: 'mps', task: 'Transcode' }],
    ['transcode.duration', '2026-11-02T00:00:00+08:00', 1, 300, { service: 'mps', task: 'Transcode' }],
    ['tasks.count', '2026-11-02T00:00:00+08:00', 1, 3, { service: 'mps', task: 'Transcode' }]
  ], 'numbers as numbers and as numeric strings')
})

t.test('every documented type has its metric; an unknown type is kept as mps.other.usage', async t => {
  const expected: Record<string, string> = {
    Transcode: 'transcode.duration',
    Enhance: 'enhance.duration',
    AIAnalysis: 'ai.duration',
    AIRecognition: 'ai.duration',
    AIReview: 'ai.duration',
    Snapshot: 'snapshot.count',
    ImageProcess: 'image.count',
    AnimatedGraphics: 'mps.animated_graphics.duration',
    AiQualityControl: 'mps.ai_quality_control.usage',
    Evaluation: 'mps.evaluation.usage',
    AddBlindWatermark: 'mps.add_blind_watermark.usage',
    AddNagraWatermark: 'mps.add_nagra_watermark.usage',
    ExtractBlindWatermark: 'mps.extract_blind_watermark.usage',
    AIGCVideo: 'mps.aigc_video.usage',
    AIGCImage: 'mps.aigc_image.usage',
    AIGC: 'mps.other.usage',
    SomethingNew: 'mps.other.usage'
  }
  t.same(MPS_TASK_TYPES.filter(type => !(type in expected)), [], 'the table covers every request type')
  const records = convert({ Data: Object.keys(expected).map(type => ({ TaskType: type, Summary: [item('01', 1, 5)] })) })
  for (const [type, metric] of Object.entries(expected)) {
    t.same(records.filter(record => record[4].task === type).map(record => [record[0], record[3]]), [[metric, 5], ['tasks.count', 1]], type)
  }
})

t.test('empty answers: Data null or [], Summary null, zeros kept as real zeros', async t => {
  t.same(convert({ Data: null }), [])
  t.same(convert({ Data: [] }), [])
  t.same(convert({ Data: [{ TaskType: 'Snapshot', Summary: null }] }), [])
  t.same(convert({ Data: [{ TaskType: 'Snapshot', Summary: [item('01', 0, 0)] }] }).map(record => record[3]), [0, 0])
})

t.test('junk and missing fields are refused, never read as 0 or rounded', async t => {
  const cases: Array<[string, unknown]> = [
    ['no Data at all', { RequestId: 'r' }],
    ['Data not a list', { Data: {} }],
    ['TaskType missing', { Data: [{ Summary: [item('01', 1, 1)] }] }],
    ['Count missing', { Data: [{ TaskType: 'Transcode', Summary: [{ Time: '2026-11-01T00:00:00+08:00', Usage: 1 }] }] }],
    ['Usage null', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, null)] }] }],
    ['negative', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, -1)] }] }],
    ['fraction', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, 1.5)] }] }],
    ['fraction string', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, '1.5')] }] }],
    ['object', { Data: [{ TaskType: 'Transcode', Summary: [item('01', { Value: 1 }, 1)] }] }],
    ['junk string', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, '12a')] }] }],
    ['unsafe integer', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, 2 ** 53)] }] }],
    ['Time without offset', { Data: [{ TaskType: 'Transcode', Summary: [{ Time: '2026-11-01T00:00:00', Count: 1, Usage: 1 }] }] }],
    ['Time not a date', { Data: [{ TaskType: 'Transcode', Summary: [{ Time: 'yesterday', Count: 1, Usage: 1 }] }] }],
    ['Time impossible', { Data: [{ TaskType: 'Transcode', Summary: [{ Time: '2026-02-30T00:00:00+08:00', Count: 1, Usage: 1 }] }] }],
    ['Time off the UTC+08:00 day grid', { Data: [{ TaskType: 'Transcode', Summary: [{ Time: '2026-11-01T00:00:00Z', Count: 1, Usage: 1 }] }] }],
    ['a day listed twice', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, 1), item('01', 1, 1)] }] }],
    ['a TaskType listed twice', { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, 1)] }, { TaskType: 'Transcode', Summary: [item('02', 1, 1)] }] }]
  ]
  for (const [name, response] of cases) {
    t.throws(() => convert(response), { code: 'UPSTREAM_MALFORMED' }, name)
  }
})

t.test('days outside the window are dropped: they belong to the neighbouring window', async t => {
  const records = convert({ Data: [{ TaskType: 'Enhance', Summary: [item('01', 1, 10), item('02', 2, 20), item('03', 3, 30), { Time: '2026-10-31T00:00:00+08:00', Count: 4, Usage: 40 }] }] })
  t.same(records.filter(record => record[0] === 'enhance.duration').map(record => [record[1], record[3]]),
    [['2026-11-01T00:00:00+08:00', 10], ['2026-11-02T00:00:00+08:00', 20]])
  const utc = convert({ Data: [{ TaskType: 'Enhance', Summary: [{ Time: '2026-10-31T16:00:00Z', Count: 1, Usage: 7 }] }] })
  t.equal(utc[0]?.[3], 7, 'the same instant written in UTC is the same day')
})

t.test('the call\'s fixed dimensions (a one-region call) are on every record', async t => {
  const records = convert({ Data: [{ TaskType: 'AIReview', Summary: [item('01', 1, 10)] }] }, { ...summaryOptions, dimensions: { region: 'ap-hongkong' } })
  t.same(records.filter(record => !(record[4].region === 'ap-hongkong' && record[4].service === 'mps')), [])
})

const withDetails = (details: unknown) => ({
  Data: [{ TaskType: 'Transcode', Summary: [item('01', 3, 30), item('02', 1, 5)], Details: details }]
})

t.test('Specification breakdown: Details by spec, never added to the Summary', async t => {
  const details = [
    { Specification: 'Audio', Data: [item('01', 1, 10), item('02', 1, 5)] },
    { Specification: 'TESHD-10.H265.4K', Data: [item('01', 2, 20)] }
  ]
  t.same(convert(withDetails(details), specOptions), [
    ['transcode.duration', '2026-11-01T00:00:00+08:00', 1, 10, { service: 'mps', task: 'Transcode', spec: 'Audio' }],
    ['tasks.count', '2026-11-01T00:00:00+08:00', 1, 1, { service: 'mps', task: 'Transcode', spec: 'Audio' }],
    ['transcode.duration', '2026-11-02T00:00:00+08:00', 1, 5, { service: 'mps', task: 'Transcode', spec: 'Audio' }],
    ['tasks.count', '2026-11-02T00:00:00+08:00', 1, 1, { service: 'mps', task: 'Transcode', spec: 'Audio' }],
    ['transcode.duration', '2026-11-01T00:00:00+08:00', 1, 20, { service: 'mps', task: 'Transcode', spec: 'TESHD-10.H265.4K' }],
    ['tasks.count', '2026-11-01T00:00:00+08:00', 1, 2, { service: 'mps', task: 'Transcode', spec: 'TESHD-10.H265.4K' }]
  ])
  t.same(convert(withDetails(details)).map(record => record[3]), [30, 3, 5, 1], 'without a spec query the Summary alone is read')
})

t.test('Details that do not add up to the Summary are refused for a spec breakdown only', async t => {
  // The documentation's own example: Summary 22 tasks / 2200 s, three Details of 1 task / 10 s each.
  const example = {
    Data: [{
      TaskType: 'Transcode',
      Summary: [item('01', 22, 2200)],
      Details: ['Audio', 'Standard.H265.4K', 'TESHD-10.H265.4K'].map(spec => ({ Specification: spec, Data: [item('01', 1, 10)] }))
    }]
  }
  t.throws(() => convert(example, specOptions), { code: 'UPSTREAM_MALFORMED', message: /add up to Usage 30, Count 3 but Summary says Usage 2200, Count 22/ })
  t.same(convert(example).map(record => record[3]), [2200, 22], 'the Summary is still read when no spec breakdown is asked')
  t.throws(() => convert(withDetails([{ Specification: 'Audio', Data: [item('01', 3, 30)] }]), specOptions), { code: 'UPSTREAM_MALFORMED' }, 'a day missing from Details')
  t.throws(() => convert(withDetails([{ Specification: 'Audio', Data: [item('01', 3, 30), item('02', 1, 5)] }, { Specification: 'Audio', Data: [] }]), specOptions),
    { code: 'UPSTREAM_MALFORMED' }, 'a Specification listed twice')
  t.throws(() => convert(withDetails([{ Specification: 'Audio', Data: [item('01', 3, 30), item('02', 1, 5), item('03', 0, 1)] }]), specOptions),
    { code: 'UPSTREAM_MALFORMED' }, 'a day in Details that the Summary lacks')
})

t.test('a type without Details keeps its Summary, without a spec', async t => {
  for (const details of [[], null, undefined]) {
    const records = convert({ Data: [{ TaskType: 'AIReview', Summary: [item('01', 2, 40)], Details: details }] }, specOptions)
    t.same(records.map(record => [record[0], record[3], record[4]]), [
      ['ai.duration', 40, { service: 'mps', task: 'AIReview' }], ['tasks.count', 2, { service: 'mps', task: 'AIReview' }]
    ], String(details))
  }
})

t.test('parseIsoWithOffset reads offsets exactly and refuses the rest', async t => {
  t.equal(parseIsoWithOffset('2026-11-01T00:00:00+08:00'), NOV_1)
  t.equal(parseIsoWithOffset('2026-10-31T16:00:00Z'), NOV_1)
  t.equal(parseIsoWithOffset('2026-10-31T11:30:00-04:30'), NOV_1)
  for (const text of ['2026-11-01', '2026-11-01T00:00:00', '2026-11-01T24:00:00Z', '2026-11-01T00:00:00.000Z', '2026-11-01 00:00:00Z', '2026-11-31T00:00:00Z', '']) {
    t.equal(parseIsoWithOffset(text), null, text)
  }
})

t.test('Data must answer for exactly the Types asked: a type not asked, or one asked and left out, is refused', async t => {
  const asked = { ...summaryOptions, taskTypes: ['Transcode', 'Snapshot'] }
  const both = { Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, 1)] }, { TaskType: 'Snapshot', Summary: [item('01', 2, 2)] }] }
  t.equal(convert(both, asked).length, 4)
  t.throws(() => convert({ Data: [{ TaskType: 'Transcode', Summary: [item('01', 1, 1)] }] }, asked),
    { code: 'UPSTREAM_MALFORMED', message: /no entry for TaskType Snapshot/ })
  t.throws(() => convert({ Data: [...both.Data, { TaskType: 'Enhance', Summary: [] }] }, asked),
    { code: 'UPSTREAM_MALFORMED', message: /TaskType Enhance, which the call did not ask for/ })
  t.same(convert({ Data: [] }, asked), [], 'an empty Data is the one shape read as no usage')
  t.same(convert({ Data: null }, asked), [])
})
