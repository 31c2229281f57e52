import t from 'tap'
import { createStepOutput, estimateRemainingMs, formatDuration } from '../../src/cli/step-output.js'
import { captureStream } from './support/cli-harness.js'

t.test('not a terminal: one JSON object per line, every event', async t => {
  const out = captureStream()
  const output = createStepOutput(out.stream)
  output.emit({ event: 'window', added: 3, progress: { done: 1, total: 4, etaMs: 3000 } })
  output.emit({ event: 'done', windows: 4 })
  output.close()
  t.same(out.events(), [{ event: 'window', added: 3, progress: { done: 1, total: 4, etaMs: 3000 } }, { event: 'done', windows: 4 }])
})

t.test('a terminal: steps redraw one progress bar with an ETA; other events print above it', async t => {
  const out = captureStream()
  out.stream.isTTY = true
  const output = createStepOutput(out.stream)
  output.emit({ event: 'plan', windows: 4 })
  output.emit({ event: 'window', source: 'producer', progress: { done: 1, total: 4, etaMs: null } })
  output.emit({ event: 'window', source: 'producer', progress: { done: 2, total: 4, etaMs: 75_000 } })
  output.emit({ event: 'error', source: 'producer', error: 'UPSTREAM_SERVER: down' })
  output.close()
  const text = out.text()
  t.match(text, 'plan windows=4\n')
  t.match(text, '\r\x1b[K[######------------------] 1/4 25% ETA …')
  t.match(text, '\r\x1b[K[############------------] 2/4 50% ETA 1m15s  window source=producer')
  t.match(text, 'error source=producer error=UPSTREAM_SERVER: down\n[############')
  t.ok(text.endsWith('\n'), 'the bar\'s line is ended')
})

t.test('a secret in an event never reaches the output', async t => {
  const out = captureStream()
  const output = createStepOutput(out.stream, text => text.replaceAll('s3cr3t', '[redacted]'))
  output.emit({ event: 'error', error: 'provider said: key s3cr3t is wrong' })
  t.notMatch(out.text(), 's3cr3t')
})

t.test('ETA: the mean time per step so far, times the steps left', async t => {
  t.equal(estimateRemainingMs(0, 0, 10), null)
  t.equal(estimateRemainingMs(2000, 2, 10), 8000)
  t.equal(formatDuration(59_400), '59s')
  t.equal(formatDuration(3 * 3_600_000 + 5 * 60_000), '3h05m')
})
