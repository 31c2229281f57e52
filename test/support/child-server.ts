/**
 * The real entry point (src/server.ts) in a child process, run from source through tap's own TypeScript loader
 * (no build needed), with its JSON log lines collected as they come.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { LogLine } from './log-line.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export type { LogLine }

export interface ChildServer {
  child: ChildProcess
  lines: LogLine[]
  /** Resolves with the first log line matching, already written or still to come. */
  waitFor(predicate: (line: LogLine) => boolean): Promise<LogLine>
  /** Once the process has exited and every line it wrote has been read. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  stderr(): string
}

/**
 * `env` is all the child gets besides PATH and HOME: no credentials from the developer's shell. `preload`: modules for
 * --import. No ledger unless `env` names one: processes started side by side must not share the default PGlite
 * directory (one process owns it), and a sync job would add upstream calls the tests count.
 */
export function spawnServer (t: Test, env: Record<string, string>, preload: string[] = []): ChildServer {
  const child = spawn(process.execPath, ['--import=@tapjs/typescript/import', ...preload.map(file => `--import=${file}`), 'src/server.ts'],
    { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, USAGE_STORE_URL: 'none', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => child.once('close', (code, signal) => resolve({ code, signal })))
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  let stderr = ''
  child.stderr!.on('data', chunk => { stderr += chunk })

  const lines: LogLine[] = []
  const waiters: Array<{ predicate: (line: LogLine) => boolean, resolve: (line: LogLine) => void }> = []
  createInterface({ input: child.stdout! }).on('line', text => {
    let line: LogLine
    try { line = JSON.parse(text) } catch { line = { msg: text } }
    lines.push(line)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const waitFor = (predicate: (line: LogLine) => boolean) => {
    const found = lines.find(predicate)
    if (found) return Promise.resolve(found)
    return Promise.race([
      new Promise<LogLine>(resolve => waiters.push({ predicate, resolve })),
      exited.then(({ code }) => { throw new Error(`server exited (${code}) before the expected log line; stderr: ${stderr}`) })
    ])
  }
  return { child, lines, waitFor, exited, stderr: () => stderr }
}
