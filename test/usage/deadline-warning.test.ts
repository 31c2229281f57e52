import t from 'tap'
import { UpstreamError, UsageError } from '../../src/errors.js'
import { deadlineFailure, deadlineWarning, mergeRanges } from '../../src/usage/deadline-warning.js'

const HOUR = 3_600_000
const T0 = Date.parse('2026-11-01T00:00:00Z')
const hours = (from: number, to: number) => ({ from: T0 + from * HOUR, to: T0 + to * HOUR })

t.test('a transport timeout or cancelled wait after the deadline is DEADLINE_EXCEEDED; a provider answer is kept', async t => {
  const passed = AbortSignal.abort(new DOMException('late', 'TimeoutError'))
  const timeout = new UpstreamError('UPSTREAM_TIMEOUT', 'call to example was cancelled at the request deadline')
  t.match(deadlineFailure(timeout, passed), { code: 'DEADLINE_EXCEEDED' })
  t.match(deadlineFailure(new DOMException('late', 'TimeoutError'), passed), { code: 'DEADLINE_EXCEEDED' })
  const throttled = new UpstreamError('UPSTREAM_THROTTLED', 'Throttling.User')
  t.equal(deadlineFailure(throttled, passed), throttled, 'what the provider said stays')
  t.equal(deadlineFailure(timeout, new AbortController().signal), timeout, 'before the deadline, a timeout is the provider\'s')
  t.ok(deadlineFailure(timeout, passed) instanceof UsageError)
})

t.test('cut windows are listed as merged ranges, the rest counted', async t => {
  t.same(mergeRanges([hours(2, 3), hours(0, 1), hours(1, 2), hours(5, 6), hours(5, 6)]), [hours(0, 3), hours(5, 6)])
  const warning = deadlineWarning([
    { source: 'a', cutCalls: 5, calls: 9, ranges: [hours(0, 1), hours(2, 3), hours(4, 5), hours(6, 7), hours(8, 9)] },
    { source: 'b', cutCalls: 0, calls: 2, ranges: [] }
  ], 'UTC')
  t.equal(warning.type, 'deadline_exceeded')
  t.match(warning.message, "'a' (5 of 9 calls: 2026-11-01T00:00:00Z to 2026-11-01T01:00:00Z, 2026-11-01T02:00:00Z to 2026-11-01T03:00:00Z, " +
    '2026-11-01T04:00:00Z to 2026-11-01T05:00:00Z and 2 more ranges)')
  t.notMatch(warning.message, "'b'", 'a source the deadline did not cut is not named')
  t.match(deadlineWarning([], 'UTC').message, /sources\[\] says which/)
})
