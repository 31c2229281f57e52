import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CliEvent } from '../../src/cli/step-output.js'
import { openLedgerStore, parseStoreUrl } from '../../src/ledger/index.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { ACCOUNT, DAY, HOUR, bucketSums, expectedHourSeconds, producerVariantKey } from '../ledger-sync/support/producer-harness.js'
import { cliEnvironment } from './support/cli-harness.js'

// Two child processes, each compiling the CLI's TypeScript on start (tens of seconds on a busy machine).
t.setTimeout(300_000)

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = fileURLToPath(new URL('../../src/cli/ledger-cli.ts', import.meta.url))
const VARIANT = producerVariantKey()

interface ChildRun { status: number | null, signal: NodeJS.Signals | null, lines: CliEvent[], stderr: string }

/** The real CLI in a child process (the service's configuration from `env`); `killAfterWindows`: SIGKILL once that many windows were reported. */
async function runCli (env: Record<string, string>, argv: string[], killAfterWindows?: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import=@tapjs/typescript/import', CLI, ...argv], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: CliEvent[] = []
  let stderr = ''
  let pending = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const complete = pending.split('\n')
    pending = complete.pop() ?? ''
    for (const line of complete) {
      lines.push(JSON.parse(line))
      if (killAfterWindows !== undefined && lines.filter(entry => entry.event === 'window').length === killAfterWindows) child.kill('SIGKILL')
    }
  })
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => child.on('exit', (code, exitSignal) => resolve([code, exitSignal])))
  return { status, signal, lines, stderr }
}

t.test('kill -9 during a backfill, then the same command again: nothing missing, nothing doubled, the simulator\'s totals', async t => {
  // Real time on both sides: the child runs with the system clock, and so does the simulator.
  const simulator = await startLiveProducerSimulator({ accounts: [ACCOUNT], qps: 1000 })
  t.teardown(() => simulator.close())
  const directory = await mkdtemp(join(tmpdir(), 'ledger-kill-test-'))
  t.teardown(() => rm(directory, { recursive: true, force: true }))
  const storeUrl = `pglite:${join(directory, 'ledger')}`
  // A low QPS keeps the child busy long enough to be killed in the middle.
  const env = { ...await cliEnvironment(t, simulator.url, ACCOUNT, { qps: 2 }), USAGE_STORE_URL: storeUrl }
  const today = Math.floor(Date.now() / DAY) * DAY
  const from = today - 20 * DAY
  const to = today - 10 * DAY
  const argv = ['backfill', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--window', '6h']

  const killed = await runCli(env, argv, 5)
  t.equal(killed.signal, 'SIGKILL', killed.stderr)
  t.match(killed.lines[0], { event: 'plan', buckets: 240, alreadyCovered: 0, windows: 40 })
  const reported = killed.lines.filter(line => line.event === 'window').length
  t.ok(reported >= 5 && reported < 40, `killed after ${reported} of 40 windows`)

  const rerun = await runCli(env, argv)
  t.equal(rerun.status, 0, rerun.stderr)
  const plan = rerun.lines[0]!
  const covered = Number(plan.alreadyCovered)
  t.ok(covered >= reported * 6, `the rerun found ${plan.alreadyCovered} hours covered (${reported} windows were reported)`)
  t.equal(plan.windows, (240 - covered) / 6, 'and plans only the rest')
  t.match(rerun.lines.at(-1), { event: 'done', failed: 0, restated: 0, unchanged: 0 })
  t.ok(simulator.stats.count() <= 41, `${simulator.stats.count()} calls: each window once, but the one the kill interrupted`)

  const store = await openLedgerStore({ location: parseStoreUrl(storeUrl) })
  t.teardown(() => store.close())
  const buckets = await store.readRange({ sourceId: 'producer', variant: VARIANT, from: 0, to: Date.now() })
  t.equal(buckets.length, 240, 'every hour of the range')
  t.same(buckets.filter((bucket, index) => bucket.start !== from + index * HOUR), [], 'each once, in order')
  t.same(buckets.filter(bucket => bucket.revision !== 1), [], 'none written twice')
  t.same([...bucketSums(buckets)].filter(([hour, seconds]) => seconds !== expectedHourSeconds(hour)), [], 'the simulator\'s numbers')
  t.same(await store.verify(), [])
})
