/**
 * The contract every adapter meets, run against its own simulator through the whole service:
 * happy range, nothing yet to report, window seams, throttling, 5xx, malformed bodies, hostile bodies in the API's
 * own shape (a record twice, a usage field absent, integers past 2^53 - 1, a formula as a dimension value), hostile
 * error messages in the API's own error body (8 MiB long, echoing the caller's secret), a retry hint past the
 * deadline, auth failure, out-of-lookback. Each adapter's contract.test.ts calls runAdapterContract once.
 */
import type { Test } from 'tap'
import { createUpstreamCallLogger } from '../../src/observability/upstream-call-log.js'
import {
  FORMULA_VALUE, HUGE_MESSAGE_MARKER, LARGE_VALUE, UNSAFE_INTEGER, secretEchoForms, type Fault, type SimulatedAccount, type SimulatorStarter
} from '../../src/simulators/index.js'
import type { Granularity } from '../../src/time/index.js'
import type { SourceAdapter } from '../../src/usage/source-adapter.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { captureLogs } from '../support/log-capture.js'
import { TEST_NOW, startTestService } from '../support/test-service.js'

export interface ContractSubject {
  adapter: SourceAdapter<unknown>
  startSimulator: SimulatorStarter
  settings?: unknown
  /** A granularity and zone this kind aligns to. */
  granularity: Granularity
  zone: string
  /** The simulator's own total (canonical units, all metrics) for [from, to), when it can say. */
  truth?: (range: { from: number, to: number }) => number
  /**
   * The dimension (a groupBy name) a provider's record fills with free text the simulator's 'formula-dimension'
   * fault sets to a formula, or why the kind's records carry none.
   */
  freeTextDimension: { groupBy: string } | { none: string }
}

/** A secret with characters that change when percent-encoded, 30 characters so its base64 form has no padding. */
const CONTRACT_ACCOUNT: SimulatedAccount = { accessKeyId: 'LTAIcontract0001', accessKeySecret: 'contract+secret/00001=not/used' }
const WRONG_SECRET = 'not-the-secret'
/** What a caller may receive, whatever a provider sends. */
const ANSWER_LIMIT = 64 * 1024
const occurrences = (text: string, part: string): number => text.split(part).length - 1

const DAY = 86_400_000

export function runAdapterContract (t: Test, subject: ContractSubject): Promise<void> {
  return t.test(`adapter contract: ${subject.adapter.kind}`, async t => {
    // The service's own logger and redactor, as the runtime sets them up, so log lines can be checked too.
    const logs = captureLogs({ level: 'trace', secrets: [CONTRACT_ACCOUNT.accessKeySecret, WRONG_SECRET] })
    const good = { id: 'good', adapter: subject.adapter, startSimulator: subject.startSimulator, settings: subject.settings }
    const service = await startTestService(t, [good, { ...good, id: 'bad-secret', wrongSecret: true }], {
      cache: false, // each case must reach the simulator; caching has tests of its own
      account: CONTRACT_ACCOUNT,
      logger: logs.logger,
      onCall: createUpstreamCallLogger(logs.logger)
    })
    const simulator = service.simulators.good!
    const base = `granularity=${subject.granularity}&tz=${encodeURIComponent(subject.zone)}`
    const path = (from: string, to: string, extra: string) => `/usage?from=${from}&to=${to}&${base}&${extra}`
    /** A usage answer, typed: the body must be one (any status). */
    const usage = (from: string, to: string, extra = 'source=good') => service.getUsage(path(from, to, extra))
    const totalOf = (json: UsageResponse): number => json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
    const withFault = async (fault: Fault, check: (json: UsageResponse, status: number, text: string) => void, checkStrict?: (text: string) => void) => {
      simulator.faults.inject(fault, Number.POSITIVE_INFINITY)
      try {
        const response = await usage('2026-11-10', '2026-11-12')
        check(response.json, response.status, response.text)
        const strict = await service.getError(path('2026-11-10', '2026-11-12', 'source=good&strict=true'))
        t.equal(strict.status, 502, `${fault.kind}: strict=true is a 502, never a silent partial`)
        t.equal(strict.json.error.code, 'SOURCE_FAILED')
        checkStrict?.(strict.text)
      } finally {
        simulator.faults.clear()
      }
      const recovered = await usage('2026-11-10', '2026-11-12')
      t.equal(recovered.json.complete, true, `${fault.kind}: recovers when the fault stops`)
    }
    const expectFailed = (code: string) => (json: UsageResponse, status: number) => {
      t.equal(status, 200)
      t.equal(json.complete, false)
      t.same(json.sources.map(source => [source.status, source.error?.code]), [['failed', code]])
      t.ok(json.series.length > 0, 'series of a failed source are still listed')
      t.same(json.series.flatMap(series => series.points.filter(point => !(point.state === 'incomplete' && point.value === null))), [],
        'nothing obtained: null and incomplete, never zero')
    }

    t.test('happy range: every bucket, exact integers, complete', async t => {
      const response = await usage('2026-11-01', '2026-11-08')
      t.equal(response.status, 200, response.text.slice(0, 300))
      const json = response.json
      t.equal(json.complete, true)
      t.same(json.sources.map(source => [source.id, source.status, source.simulated]), [['good', 'ok', true]])
      t.ok(json.sources[0]!.calls >= 1)
      t.ok(json.series.length > 0)
      const bucketCount = json.series[0]!.points.length
      for (const series of json.series) {
        t.equal(series.points.length, bucketCount, `${series.metric}: every bucket present`)
        t.same(series.points.filter(point => !(Number.isSafeInteger(point.value) && point.value! >= 0)), [], `${series.metric}: integer values`)
        t.equal(series.total, series.points.reduce((sum, point) => sum + point.value!, 0))
      }
      t.ok(totalOf(json) > 0, 'the simulator reports usage for this range')
      if (subject.truth) {
        t.equal(totalOf(json), subject.truth({ from: Date.parse(json.from), to: Date.parse(json.to) }), 'equals the simulator\'s own total')
      }
    })

    t.test('nothing to report yet: a future range is null and provisional, and costs no call', async t => {
      simulator.stats.reset()
      const response = await usage('2026-12-01', '2026-12-03')
      t.equal(response.status, 200)
      t.same(response.json.series.flatMap(series => series.points.filter(point => !(point.value === null && point.state === 'provisional'))), [],
        'every point null and provisional')
      t.equal(simulator.stats.count(), 0)
    })

    t.test('window seams: a long range equals the sum of its parts, nothing twice, nothing lost', async t => {
      const whole = await usage('2026-09-01', '2026-11-15')
      t.equal(whole.json.complete, true, whole.text.slice(0, 300))
      const cuts = ['2026-09-01', '2026-09-17', '2026-10-01', '2026-10-09', '2026-11-15']
      let parts = 0
      for (let index = 1; index < cuts.length; index++) {
        const part = await usage(cuts[index - 1]!, cuts[index]!)
        t.equal(part.json.complete, true, JSON.stringify(part.json.sources))
        parts += totalOf(part.json)
      }
      t.equal(totalOf(whole.json), parts)
      if (subject.truth) t.equal(totalOf(whole.json), subject.truth({ from: Date.parse(whole.json.from), to: Date.parse(whole.json.to) }))
    })

    t.test('throttling: failed with UPSTREAM_THROTTLED', async () => withFault({ kind: 'throttle' }, expectFailed('UPSTREAM_THROTTLED')))
    t.test('5xx: failed with UPSTREAM_SERVER', async () => withFault({ kind: 'server-error', status: 503 }, expectFailed('UPSTREAM_SERVER')))
    t.test('malformed body: failed with UPSTREAM_MALFORMED', async () => withFault({ kind: 'malformed' }, expectFailed('UPSTREAM_MALFORMED')))
    t.test('truncated body: failed with UPSTREAM_MALFORMED', async () => withFault({ kind: 'truncated' }, expectFailed('UPSTREAM_MALFORMED')))
    t.test('wrong types: refused, never read as numbers', async () => withFault({ kind: 'wrong-types' }, expectFailed('UPSTREAM_MALFORMED')))

    // Hostile answers in the API's own shape: every simulator applies these to its own records (see HostileBody).
    const refusedWith = (pattern: RegExp) => (json: UsageResponse, status: number) => {
      expectFailed('UPSTREAM_MALFORMED')(json, status)
      t.match(json.sources[0]?.error?.message, pattern, 'the refusal says why')
    }
    t.test('a record listed twice: refused, never counted twice', async () =>
      withFault({ kind: 'duplicate-record' }, refusedWith(/twice/)))
    t.test('a usage field absent: refused, never read as 0', async () =>
      withFault({ kind: 'absent-field' }, refusedWith(/absent|required/)))
    t.test('an integer past 2^53 - 1: refused, naming the value, never rounded', async () =>
      withFault({ kind: 'unsafe-integer' }, refusedWith(new RegExp(String(UNSAFE_INTEGER)))))

    const minutes = subject.adapter.metrics.some(mapping => mapping.conversion.startsWith('minutes'))
    if (minutes) {
      t.test('minutes whose seconds pass 2^53 - 1: refused, naming the value', async () =>
        withFault({ kind: 'large-value' }, refusedWith(/past 9007199254740991/)))
    } else {
      t.test('a large value in a unit without conversion: exact to the unit', async t => {
        const baseline = await usage('2026-11-10', '2026-11-12')
        simulator.faults.inject({ kind: 'large-value' }, 1)
        const faulted = await usage('2026-11-10', '2026-11-12')
        simulator.faults.clear()
        t.equal(faulted.json.complete, true, faulted.text.slice(0, 300))
        t.equal(totalOf(faulted.json), totalOf(baseline.json) + LARGE_VALUE, 'exactly the value added, nothing rounded')
        const changed = faulted.json.series.flatMap((series, seriesIndex) => series.points
          .map((point, pointIndex) => point.value! - baseline.json.series[seriesIndex]!.points[pointIndex]!.value!)
          .filter(difference => difference !== 0))
        t.same(changed, [LARGE_VALUE], 'in one point only')
      })
    }

    t.test('a retry hint past the deadline: throttled at once with the provider code and request id, never a 504', async t => {
      // Retries allowed, but each would start long after the deadline: an hour's x-acs-retry-after where the API
      // sends one, a minute's backoff where it sends none.
      const patient = await startTestService(t, [good], {
        cache: false, account: CONTRACT_ACCOUNT, retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 }
      })
      const throttling = patient.simulators.good!
      throttling.faults.inject({ kind: 'throttle', retryAfterMs: 3_600_000 }, Number.POSITIVE_INFINITY)
      const response = await patient.getUsage(path('2026-11-10', '2026-11-12', 'source=good&timeout=2'))
      t.equal(response.status, 200, `an answer, not a 504 DEADLINE_EXCEEDED: ${response.text.slice(0, 300)}`)
      t.equal(response.json.complete, false)
      t.match(response.json.sources, [{ status: 'failed', error: { code: 'UPSTREAM_THROTTLED', providerCode: /./, requestId: /./ } }],
        "failed, with the provider's code and request id")
      t.ok(throttling.stats.count() >= 1)
      t.equal(throttling.stats.count(), throttling.stats.throttled(), 'every call refused once, none retried')
      const strict = await patient.getError(path('2026-11-10', '2026-11-12', 'source=good&timeout=2&strict=true'))
      t.same([strict.status, strict.json.error.code], [502, 'SOURCE_FAILED'], 'strict: a 502 naming the source, not a 504')
    })

    // Hostile error messages in the API's own error body: the shared gateway pipeline answers these for every cloud.
    t.test('an 8 MiB error message: a small answer holding the message once, cut with a note', async () => {
      const heldOnce = (text: string, where: string) => {
        t.ok(text.length < ANSWER_LIMIT, `${where} of ${text.length} characters`)
        t.equal(occurrences(text, HUGE_MESSAGE_MARKER), 1, `the message appears once in the ${where}`)
      }
      await withFault({ kind: 'huge-message' }, (json, status, text) => {
        expectFailed('UPSTREAM_SERVER')(json, status)
        heldOnce(text, 'answer')
        const error = json.sources[0]!.error!
        t.ok(error.providerCode, "the provider's code is kept")
        t.ok(error.requestId, "the provider's request id is kept")
        t.ok(error.message.startsWith(`${error.providerCode}: ${HUGE_MESSAGE_MARKER}`), error.message.slice(0, 100))
        t.match(error.message, /… \(\d+ more characters cut\)$/, 'the note says the message was cut')
        t.ok(error.message.length <= 512, `${error.message.length} characters kept`)
      }, text => heldOnce(text, 'strict error body'))
    })

    t.test("an error message echoing the caller's secret: no form of it in answers or logs", async t => {
      const forms = secretEchoForms(CONTRACT_ACCOUNT.accessKeySecret)
      const leaked = (text: string) => forms.filter(form => text.includes(form))
      const linesBefore = logs.lines.length
      await withFault({ kind: 'secret-echo' }, (json, status, text) => {
        expectFailed('UPSTREAM_AUTH')(json, status)
        t.ok(json.sources[0]?.error?.providerCode, "the provider's code is kept")
        t.match(json.sources[0]?.error?.message, /\[redacted\]/, 'the message is kept, redacted')
        t.same(leaked(text), [], 'no form of the secret in the answer')
      }, text => t.same(leaked(text), [], 'nor in the strict error body'))
      const lines = logs.lines.slice(linesBefore)
      t.ok(lines.some(line => line.includes('upstream call failed')), 'the failed calls were logged', { found: lines })
      t.same(lines.filter(line => leaked(line).length > 0), [], 'no form of the secret in any log line')
    })

    t.test('a formula as a dimension value: neutralised in CSV, verbatim in JSON', async t => {
      const dimension = subject.freeTextDimension
      if ('none' in dimension) {
        t.comment(`${subject.adapter.kind}: no free-text dimension (${dimension.none})`)
        return
      }
      simulator.faults.inject({ kind: 'formula-dimension' }, Number.POSITIVE_INFINITY)
      try {
        const json = await usage('2026-11-10', '2026-11-12', `source=good&groupBy=${dimension.groupBy}`)
        t.equal(json.json.complete, true, json.text.slice(0, 300))
        t.ok(json.json.series.some(series => series.dimensions[dimension.groupBy] === FORMULA_VALUE), 'the JSON answer carries the value verbatim',
          { found: json.json.series.map(series => series.dimensions[dimension.groupBy]) })
        const csv = await service.get(path('2026-11-10', '2026-11-12', `source=good&groupBy=${dimension.groupBy}&format=csv`))
        t.equal(csv.status, 200)
        t.match(String(csv.headers['content-type']), /^text\/csv/)
        t.ok(csv.text.endsWith('\r\n'), 'the last line ends in CRLF')
        t.notOk(csv.text.replaceAll('\r\n', '').includes('\n'), 'every line ends in CRLF')
        const cell = `"'${FORMULA_VALUE.replaceAll('"', '""')}"`
        t.ok(csv.text.includes(`,${cell},`), `the value is written as ${cell}`)
        t.notMatch(csv.text, /(^|,)"?[=+\-@]/m, 'no cell starts with a formula character')
      } finally {
        simulator.faults.clear()
      }
    })

    t.test('auth failure: a wrong secret is a typed auth error with the provider code and request id', async t => {
      const response = await usage('2026-11-10', '2026-11-12', 'source=bad-secret')
      t.match(response.json.sources, [{ status: 'failed', error: { code: 'UPSTREAM_AUTH', providerCode: /./, requestId: /./ } }])
      t.notOk(response.text.includes(CONTRACT_ACCOUNT.accessKeySecret) || response.text.includes(WRONG_SECRET), 'no secret in the answer')
    })

    t.test('out of lookback: that part is null and incomplete, the source out_of_range', async t => {
      const lookbackDays = subject.adapter.limits.lookbackMs / DAY
      const from = new Date(TEST_NOW - (lookbackDays + 10) * DAY).toISOString().slice(0, 10)
      const to = new Date(TEST_NOW - (lookbackDays - 10) * DAY).toISOString().slice(0, 10)
      const response = await usage(from, to)
      t.equal(response.status, 200)
      t.match(response.json.sources, [{ status: 'out_of_range', outOfRange: { from: String, to: String } }])
      const points = response.json.series[0]!.points
      t.same([points[0]!.value, points[0]!.state], [null, 'incomplete'])
      t.not(points.at(-1)!.value, null, 'the part inside the lookback is delivered')
      t.equal(response.json.complete, false)
      t.same(response.json.warnings.filter(warning => warning.type === 'out_of_range').map(warning => warning.source), ['good'])
    })
  }).then(() => undefined)
}
