/**
 * Pure: the ledger CLI's command line, checked before anything is opened. A bad argument is an ArgumentError
 * naming the argument and what it accepts (the CLI exits with status 2, as command-line tools do for usage errors).
 */
import { parseArgs } from 'node:util'
import { DURATION_FORM, parseDurationText } from '../time/duration-text.js'
import { parseBoundary } from '../time/index.js'

export const LEDGER_COMMANDS = ['backfill', 'status', 'verify'] as const
export type LedgerCommandName = typeof LEDGER_COMMANDS[number]

export type LedgerCommand =
  | { command: 'help' }
  | { command: 'status', sources: string[] | null }
  | { command: 'backfill', from: number, to: number, sources: string[] | null, windowMs: number | null }
  | { command: 'verify', from: number, to: number, sources: string[] | null, apply: boolean }

export class ArgumentError extends Error {
  constructor (readonly argument: string, message: string) {
    super(`${argument}: ${message}`)
    this.name = 'ArgumentError'
  }
}

export const LEDGER_USAGE = `usage: npm run ledger -- <command> [options]

commands:
  backfill --from <time> --to <time> [--source <id>[,<id>…]] [--window <duration>]
      fetch every settled native bucket in [from, to) the ledger does not hold yet, one window at a time
      (resumable: rerun after an interruption and it continues where it stopped)
  status [--source <id>[,<id>…]]
      per source: oldest and newest settled bucket, bucket counts, restated buckets, last sync, last error
  verify --from <time> --to <time> [--source <id>[,<id>…]] [--apply]
      ask the providers again and report every settled bucket whose value differs from the ledger;
      writes nothing unless --apply (then each difference becomes a new revision)

<time>: an RFC 3339 date-time with an offset (2026-11-01T00:00:00Z), a UTC date (2026-11-01), epoch
milliseconds, or a relative time (now-30d, now-1M/M). <duration>: ${DURATION_FORM}.
The configuration is the service's: USAGE_STORE_URL, USAGE_SOURCES_FILE or credentials, or the simulated providers.`

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  source: { type: 'string' },
  window: { type: 'string' },
  apply: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

/** Which options each command takes. */
const ACCEPTED: Record<LedgerCommandName, ReadonlyArray<keyof typeof OPTIONS>> = {
  backfill: ['from', 'to', 'source', 'window'],
  status: ['source'],
  verify: ['from', 'to', 'source', 'apply']
}

export function parseLedgerArguments (argv: readonly string[], now: number): LedgerCommand {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    const option = /'(--?[^' ]+)/.exec((error as Error).message)?.[1] ?? 'arguments'
    throw new ArgumentError(option, `${(error as Error).message.replace(/\. To specify.*$/s, '')}; see --help`)
  }
  const { values, positionals } = parsed
  if (values.help === true) return { command: 'help' }
  const [name, ...extra] = positionals
  if (name === undefined) throw new ArgumentError('command', `missing; expected one of ${LEDGER_COMMANDS.join(', ')}`)
  if (!(LEDGER_COMMANDS as readonly string[]).includes(name)) throw new ArgumentError('command', `'${name.slice(0, 40)}' is not one; expected one of ${LEDGER_COMMANDS.join(', ')}`)
  const command = name as LedgerCommandName
  if (extra.length > 0) throw new ArgumentError(extra[0]!.slice(0, 40), `unexpected argument; ${command} takes only options (${ACCEPTED[command].map(option => `--${option}`).join(', ')})`)
  for (const option of Object.keys(values) as Array<keyof typeof OPTIONS>) {
    if (option !== 'help' && !ACCEPTED[command].includes(option)) {
      throw new ArgumentError(`--${option}`, `not an option of ${command}; it takes ${ACCEPTED[command].map(accepted => `--${accepted}`).join(', ')}`)
    }
  }
  const sources = values.source === undefined ? null : sourceList(values.source)
  if (command === 'status') return { command, sources }
  const from = instant('--from', values.from, now)
  const to = instant('--to', values.to, now)
  if (to <= from) throw new ArgumentError('--to', `must be after --from (${new Date(from).toISOString()}); got ${new Date(to).toISOString()}`)
  if (command === 'verify') return { command, from, to, sources, apply: values.apply === true }
  return { command, from, to, sources, windowMs: values.window === undefined ? null : windowLength(values.window) }
}

function instant (argument: string, text: string | undefined, now: number): number {
  if (text === undefined) throw new ArgumentError(argument, 'missing; expected a time such as 2026-11-01, 2026-11-01T00:00:00Z or now-30d')
  const parsed = parseBoundary(text, 'UTC', now)
  if (!parsed.ok) throw new ArgumentError(argument, `'${text.slice(0, 64)}' is not a time; expected ${parsed.reason}`)
  return parsed.instant
}

function sourceList (text: string): string[] {
  const ids = text.split(',').map(id => id.trim())
  if (ids.some(id => id === '')) throw new ArgumentError('--source', 'expected source ids separated by commas, none empty')
  return [...new Set(ids)]
}

function windowLength (text: string): number {
  const milliseconds = parseDurationText(text)
  if (milliseconds === null || milliseconds === 0) throw new ArgumentError('--window', `'${text.slice(0, 40)}' is not a duration; expected ${DURATION_FORM.replace(', or 0', '')}, not 0`)
  return milliseconds
}
