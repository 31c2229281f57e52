import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { forEachBackend } from './support/ledger-backends.js'
import { CRASH_BATCH_BUCKETS, CRASH_RECORDS_PER_BUCKET, HOUR, NOVEMBER_FIRST } from './support/ledger-fixtures.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WRITER = fileURLToPath(new URL('./support/crash-writer.ts', import.meta.url))

// A process killed with SIGKILL in the middle of a write loop: after reopening, every covered bucket
// has all of its records, none twice, and coverage is whole batches.
forEachBackend(t, { memory: false }, async (t, backend) => {
  const child = spawn(process.execPath, ['--import=@tapjs/typescript/import', WRITER, backend.url, backend.schema], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString() })
  const exited = new Promise<NodeJS.Signals | null>(resolve => child.on('exit', (_code, signal) => resolve(signal)))
  await new Promise<void>((resolve, reject) => {
    let committed = 0
    child.stdout.on('data', (chunk: Buffer) => {
      committed += chunk.toString().split('\n').filter(line => line.startsWith('committed')).length
      // Several batches in: the writer is always inside a write by now, so the kill lands mid-transaction.
      if (committed >= 4) { child.kill('SIGKILL'); resolve() }
    })
    child.on('exit', () => reject(new Error(`writer exited before it was killed: ${errors}`)))
  })
  t.equal(await exited, 'SIGKILL')

  const store = await backend.open()
  t.teardown(async () => { await store.close() })
  const read = await store.readRange({ sourceId: 'crash', variant: 'v', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 100_000 * HOUR })
  t.ok(read.length >= 4 * CRASH_BATCH_BUCKETS, `${read.length} buckets covered`)
  t.equal(read.length % CRASH_BATCH_BUCKETS, 0, 'coverage is whole batches')
  t.same(read.filter((bucket, index) => !(bucket.start === NOVEMBER_FIRST + index * HOUR)), [], 'contiguous from the first batch')
  t.same(read.filter(bucket => !(bucket.records.length === CRASH_RECORDS_PER_BUCKET && bucket.revision === 1)), [], 'every covered bucket has all of its records, once')
  t.same(await store.verify(), [])
  const status = await store.status(['crash'])
  t.equal(status[0]?.buckets, read.length)
})
