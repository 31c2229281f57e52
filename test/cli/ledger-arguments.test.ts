import t from 'tap'
import { ArgumentError, parseLedgerArguments } from '../../src/cli/ledger-arguments.js'

const NOW = Date.parse('2026-11-20T10:30:00Z')
const parse = (...argv: string[]) => parseLedgerArguments(argv, NOW)

t.test('commands and their options', async t => {
  t.same(parse('status'), { command: 'status', sources: null })
  t.same(parse('status', '--source', 'a,b,a'), { command: 'status', sources: ['a', 'b'] })
  t.same(parse('backfill', '--from', '2026-11-01', '--to', '2026-11-02T00:00:00+08:00', '--window', '6h'),
    { command: 'backfill', from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-01T16:00:00Z'), sources: null, windowMs: 6 * 3_600_000 })
  t.same(parse('verify', '--from', 'now-7d', '--to', 'now/d', '--apply'),
    { command: 'verify', from: NOW - 7 * 86_400_000, to: Date.parse('2026-11-20T00:00:00Z'), sources: null, apply: true })
  t.same(parse('--help'), { command: 'help' })
})

/** Each bad command line: the argument the message must name, and what it must say is accepted. */
const BAD: Array<[string[], string, RegExp]> = [
  [[], 'command', /expected one of backfill, status, verify/],
  [['frobnicate'], 'command', /'frobnicate' is not one; expected one of backfill, status, verify/],
  [['status', 'extra'], 'extra', /unexpected argument; status takes only options \(--source\)/],
  [['status', '--apply'], '--apply', /not an option of status; it takes --source/],
  [['backfill', '--apply', '--from', '2026-11-01', '--to', '2026-11-02'], '--apply', /it takes --from, --to, --source, --window/],
  [['backfill', '--to', '2026-11-02'], '--from', /missing; expected a time such as 2026-11-01/],
  [['verify', '--from', '2026-11-01'], '--to', /missing/],
  [['backfill', '--from', '2026-02-30', '--to', '2026-03-02'], '--from', /'2026-02-30' is not a time; expected a real calendar date/],
  [['backfill', '--from', '2026-11-01T00:00:00', '--to', '2026-11-02'], '--from', /explicit offset/],
  [['backfill', '--from', '2026-11-02', '--to', '2026-11-01'], '--to', /must be after --from \(2026-11-02T00:00:00.000Z\)/],
  [['backfill', '--from', '2026-11-01', '--to', '2026-11-02', '--window', '1.5h'], '--window', /expected a whole number followed by ms, s, m, h or d/],
  [['backfill', '--from', '2026-11-01', '--to', '2026-11-02', '--window', '0'], '--window', /not 0/],
  [['status', '--source', 'a,,b'], '--source', /none empty/],
  [['status', '--nope'], '--nope', /Unknown option/],
  [['backfill', '--from'], '--from', /argument missing/]
]

for (const [argv, argument, message] of BAD) {
  t.test(`refused: ${argv.join(' ') || '(nothing)'}`, async t => {
    t.throws(() => parse(...argv), ArgumentError)
    try {
      parse(...argv)
    } catch (error) {
      t.equal((error as ArgumentError).argument, argument)
      t.match((error as Error).message, message)
      t.ok((error as Error).message.startsWith(`${argument}: `), 'the message starts with the argument it is about')
    }
  })
}
