// tap prints no "N passed, N failed" line, which is what CI's log reader looks for.
// This reporter passes tap's own TAP stream through unchanged and appends that line.
import { Transform } from 'node:stream'

export default class SummaryReporter extends Transform {
  constructor () {
    super()
    this.pending = ''
    this.counts = { pass: 0, fail: 0, skip: 0 }
  }

  _transform (chunk, _encoding, callback) {
    const text = String(chunk)
    this.pending += text
    const lines = this.pending.split('\n')
    this.pending = lines.pop() ?? ''
    for (const line of lines) this.count(line)
    callback(null, chunk)
  }

  // Without tap's closing totals, top-level test points (one per file) are counted instead.
  count (line) {
    // tap's closing comment, e.g. "# { total: 12, pass: 11, fail: 1 }", counts every assertion.
    const totals = /^# \{ total: \d+(.*)\}$/.exec(line)
    if (totals) {
      this.totals = Object.fromEntries([...totals[1].matchAll(/(\w+): (\d+)/g)].map(([, key, value]) => [key, Number(value)]))
      return
    }
    const match = /^(not ok|ok) \d+ /.exec(line)
    if (!match) return
    if (/# SKIP/i.test(line)) this.counts.skip++
    else if (match[1] === 'ok') this.counts.pass++
    else this.counts.fail++
  }

  _flush (callback) {
    if (this.pending) this.count(this.pending)
    const { pass, fail, skip } = this.totals
      ? { pass: this.totals.pass ?? 0, fail: this.totals.fail ?? 0, skip: (this.totals.skip ?? 0) + (this.totals.todo ?? 0) }
      : this.counts
    callback(null, `\ntap: ${pass} passed, ${fail} failed, ${skip} skipped\n`)
  }
}
