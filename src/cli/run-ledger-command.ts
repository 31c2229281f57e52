/**
 * One run of the ledger CLI, from its arguments and environment to its exit status, with the service's own
 * configuration: the same sources (USAGE_SOURCES_FILE, credentials, or the embedded simulated providers), the same
 * executors (budgets, retries; Redis-shared budgets when USAGE_REDIS_URL is set) and the same USAGE_STORE_URL.
 * Exit status: 0 done, 1 some work failed (rerun), 2 bad arguments, 78 bad configuration, 130 interrupted.
 */
import type { Clock } from '../clock.js'
import { ConfigError } from '../config/config-error.js'
import { loadConfig } from '../config/load-config.js'
import { openLedgerStore, type LedgerStore } from '../ledger/index.js'
import { ledgerTargetOf } from '../ledger-sync/ledger-target.js'
import { SyncSlots } from '../ledger-sync/sync-slots.js'
import { UsageMetrics } from '../observability/usage-metrics.js'
import { createRuntime, type Runtime } from '../runtime.js'
import { SecretRedactor, credentialSecrets } from '../security/secret-redactor.js'
import { runBackfill } from './backfill-command.js'
import { ArgumentError, LEDGER_USAGE, parseLedgerArguments } from './ledger-arguments.js'
import { runStatus } from './status-command.js'
import { createStepOutput } from './step-output.js'
import { runVerify } from './verify-command.js'

export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78, interrupted: 130 } as const

export interface LedgerCliIo {
  env: NodeJS.ProcessEnv
  stdout: NodeJS.WritableStream & { isTTY?: boolean, columns?: number }
  stderr: NodeJS.WritableStream
  clock: Clock
  /** Aborted on SIGINT/SIGTERM: calls in flight are cancelled, committed windows stay. */
  signal: AbortSignal
  /** An open store to use instead of opening USAGE_STORE_URL's (tests running several commands on one store); its owner closes it. */
  store?: LedgerStore
}

export async function runLedgerCommand (argv: readonly string[], io: LedgerCliIo): Promise<number> {
  const fail = (status: number, message: string): number => { io.stderr.write(`ledger: ${message}\n`); return status }
  let command
  try {
    command = parseLedgerArguments(argv, io.clock.now())
  } catch (error) {
    if (error instanceof ArgumentError) return fail(EXIT.usage, `${error.message}\n(npm run ledger -- --help for usage)`)
    throw error
  }
  if (command.command === 'help') {
    io.stdout.write(LEDGER_USAGE + '\n')
    return EXIT.ok
  }
  let config
  let location
  try {
    config = loadConfig(io.env)
    location = config.store
    if (location === null && io.store === undefined) return fail(EXIT.config, 'invalid configuration: USAGE_STORE_URL is none: there is no ledger to work on')
  } catch (error) {
    if (error instanceof ConfigError) return fail(EXIT.config, `invalid configuration: ${error.message}`)
    throw error
  }

  let runtime: Runtime | null = null
  let store: LedgerStore | null = null
  try {
    runtime = await createRuntime({ config, clock: io.clock, overrides: { metrics: new UsageMetrics(), cache: false, ledger: false } })
    const redactor = new SecretRedactor(runtime.sources.flatMap(source => credentialSecrets(source.config.credentials)))
    const configured = runtime.sources.map(source => source.config.id)
    const unknown = (command.sources ?? []).filter(id => !configured.includes(id))
    if (unknown.length > 0) return fail(EXIT.usage, `--source: '${unknown[0]!.slice(0, 64)}' is not a configured source; expected one of ${configured.join(', ')}`)
    const selected = runtime.sources.filter(source => command.sources === null || command.sources.includes(source.config.id))
    const targets = selected.flatMap(source => ledgerTargetOf(source) ?? [])
    store = io.store ?? await openLedgerStore({ location: location!, clock: io.clock })
    const output = createStepOutput(io.stdout, text => redactor.text(text))
    const context = { store, clock: io.clock, slots: new SyncSlots(), signal: io.signal }
    if (command.command !== 'status') {
      for (const source of selected.filter(candidate => !targets.some(target => target.source === candidate))) {
        output.emit({ event: 'not_kept', source: source.config.id, reason: `${source.config.kind} has no native buckets (one total per call): the ledger keeps nothing of it` })
      }
    }
    try {
      if (command.command === 'status') return await runStatus(store, selected.map(source => source.config.id), targets, output)
      if (command.command === 'backfill') return await runBackfill(context, targets, command, output)
      return await runVerify(context, targets, command, output)
    } finally {
      output.close()
    }
  } catch (error) {
    if (io.signal.aborted) return fail(EXIT.interrupted, 'interrupted; windows already written are kept (rerun to continue)')
    if (error instanceof ConfigError) return fail(EXIT.config, `invalid configuration: ${error.message}`)
    return fail(EXIT.failed, error instanceof Error ? error.message : String(error))
  } finally {
    if (io.store === undefined) await store?.close().catch(() => {})
    await runtime?.close().catch(() => {})
  }
}
