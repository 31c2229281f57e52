import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import { convertImsSummary } from '../../../src/providers/aliyun-ims/convert-ims-summary.js'
import { IMS_FIELD_NAMES, imsSummaryResponseSchema } from '../../../src/providers/aliyun-ims/ims-api.js'

const WINDOW = { from: Date.parse('2026-11-10T00:30:00Z'), to: Date.parse('2026-11-10T01:30:00Z') }

/** The documented example answer (docs/providers/aliyun-ims.md#response), string-typed fields as strings. */
const DOC_EXAMPLE = {
  RequestId: 'BEA98A0C-7870-15FE-B96F-8880BB600A2C',
  Data: [{
    MpsTranscodeDuration: 17337,
    MpsTranscodeUHDDuration: 300,
    LiveTranscodeDuration: 12356,
    EditingDuration: '8722',
    MpsAiDuration: 0,
    LiveRecordDuration: '100',
    LiveEditDuration: '2000',
    LiveSnapshotCount: '100'
  }]
}

function convertBody (body: unknown, dimensions: Record<string, string> = {}) {
  const parsed = imsSummaryResponseSchema.safeParse(body)
  if (!parsed.success) throw new UpstreamError('UPSTREAM_MALFORMED', parsed.error.issues[0]?.message ?? '')
  return convertImsSummary(parsed.data.Data, WINDOW, dimensions)
}

const valueOf = (records: ReturnType<typeof convertBody>, metric: string, mode: string) =>
  records.find(record => record.metric === metric && record.dimensions.mode === mode)?.value

t.test('the documented example: all eight fields, minutes × 60, the snapshot count as it is', async t => {
  const records = convertBody(DOC_EXAMPLE)
  t.equal(records.length, 8)
  t.same(records.map(record => [record.metric, record.dimensions.mode, record.value]), [
    ['transcode.duration', 'vod', 17337 * 60],
    ['enhance.duration', 'vod', 300 * 60],
    ['transcode.duration', 'live', 12356 * 60],
    ['editing.duration', 'vod', 8722 * 60],
    ['ai.duration', 'vod', 0],
    ['recording.duration', 'live', 100 * 60],
    ['editing.duration', 'live', 2000 * 60],
    ['snapshot.count', 'live', 100]
  ])
  for (const record of records) {
    t.equal(record.start, WINDOW.from, 'a record spans the whole window asked')
    t.equal(record.end, WINDOW.to)
    t.equal(record.dimensions.service, 'ims')
  }
})

t.test('numbers as JSON numbers or numeric strings read the same', async t => {
  const asNumbers = Object.fromEntries(IMS_FIELD_NAMES.map((field, index) => [field, index * 7]))
  const asStrings = Object.fromEntries(IMS_FIELD_NAMES.map((field, index) => [field, String(index * 7)]))
  const padded = Object.fromEntries(IMS_FIELD_NAMES.map((field, index) => [field, ` ${index * 7} `]))
  const expected = convertBody({ Data: [asNumbers] })
  t.same(convertBody({ Data: [asStrings] }), expected)
  t.same(convertBody({ Data: [padded] }), expected, 'whitespace around a numeric string is tolerated')
  t.equal(valueOf(expected, 'snapshot.count', 'live'), 49)
  t.equal(valueOf(expected, 'editing.duration', 'vod'), 21 * 60)
})

t.test('empty Data: the provider reported nothing, every field is a real zero', async t => {
  const records = convertBody({ RequestId: 'R', Data: [] })
  t.equal(records.length, 8)
  t.same(records.filter(record => !(record.value === 0 && record.start === WINDOW.from && record.end === WINDOW.to)), [])
})

t.test('the variant dimensions are carried by every record', async t => {
  const records = convertBody(DOC_EXAMPLE, { app: 'x' })
  t.same(records.filter(record => !(record.dimensions.app === 'x' && record.dimensions.service === 'ims')), [])
})

t.test('bodies that cannot be read exactly are refused whole, never read as zero', async t => {
  const item = DOC_EXAMPLE.Data[0]!
  const without = (field: string) => Object.fromEntries(Object.entries(item).filter(([name]) => name !== field))
  const cases: Array<[string, unknown]> = [
    ['Data missing', { RequestId: 'R' }],
    ['Data null', { RequestId: 'R', Data: null }],
    ['Data an object', { Data: item }],
    ['a field missing', { Data: [without('LiveSnapshotCount')] }],
    ['a field null', { Data: [{ ...item, MpsTranscodeDuration: null }] }],
    ['a negative number', { Data: [{ ...item, MpsAiDuration: -1 }] }],
    ['a fraction', { Data: [{ ...item, MpsTranscodeDuration: 12.5 }] }],
    ['a fractional string', { Data: [{ ...item, EditingDuration: '12.5' }] }],
    ['a negative string', { Data: [{ ...item, LiveEditDuration: '-3' }] }],
    ['an empty string', { Data: [{ ...item, LiveRecordDuration: '' }] }],
    ['a word', { Data: [{ ...item, LiveSnapshotCount: 'n/a' }] }],
    ['an object', { Data: [{ ...item, MpsTranscodeUHDDuration: { Value: 3 } }] }],
    ['a boolean', { Data: [{ ...item, LiveTranscodeDuration: true }] }],
    ['an exponent', { Data: [{ ...item, EditingDuration: '1e3' }] }],
    ['too large to be exact', { Data: [{ ...item, MpsTranscodeDuration: Number.MAX_SAFE_INTEGER }] }],
    ['too large once × 60', { Data: [{ ...item, MpsTranscodeDuration: '999999999999999' }] }],
    ['several Data objects (no rule says how they combine)', { Data: [item, item] }]
  ]
  for (const [name, body] of cases) {
    t.throws(() => convertBody(body), { code: 'UPSTREAM_MALFORMED' }, name)
  }
})

t.test('extra fields the docs do not list are ignored', async t => {
  const records = convertBody({ ...DOC_EXAMPLE, Data: [{ ...DOC_EXAMPLE.Data[0], NewThing: 'x', Region: 'cn-shanghai' }], Extra: 1 })
  t.equal(records.length, 8)
})
