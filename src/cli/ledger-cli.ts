/**
 * `npm run ledger -- <command>`: backfill, status and verify of the usage ledger (docs/ledger.md#cli).
 * Process wiring only: signals and the exit status; the work is run-ledger-command.ts.
 */
import { systemClock } from '../clock.js'
import { runLedgerCommand } from './run-ledger-command.js'

const interrupt = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => interrupt.abort(new Error(`${signal} received`)))
}

const status = await runLedgerCommand(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  clock: systemClock,
  signal: interrupt.signal
})
process.exitCode = status
