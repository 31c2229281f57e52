/**
 * A real entry point in a child process, run from source through tap's own TypeScript loader (no build needed),
 * with the lines it writes collected as they come: the service (src/server.ts, JSON log lines on stdout) and the
 * standalone simulated providers (src/simulators/simulate-cli.ts, plain lines on stderr).
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
  /** Resolves with the first line matching, already written or still to come. */
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
  return spawnEntryPoint(t, { entry: 'src/server.ts', env: { USAGE_STORE_URL: 'none', ...env }, preload })
}

export interface EntryPointOptions {
  /** The TypeScript entry point, relative to the repository root. */
  entry: string
  /** All the child gets besides PATH and HOME. */
  env: Record<string, string>
  args?: string[]
  preload?: string[]
  /** The stream whose lines are collected (JSON lines parsed, any other line as `{ msg }`); stdout unless given. */
  lines?: 'stdout' | 'stderr'
}

/** Killed (SIGKILL) when the test ends if it is still running, whatever the test did. */
export function spawnEntryPoint (t: Test, options: EntryPointOptions): ChildServer {
  const preload = options.preload ?? []
  const child = spawn(process.execPath, ['--import=@tapjs/typescript/import', ...preload.map(file => `--import=${file}`), options.entry, ...options.args ?? []],
    { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => child.once('close', (code, signal) => resolve({ code, signal })))
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  let stderr = ''
  child.stderr!.on('data', chunk => { stderr += chunk })

  const lines: LogLine[] = []
  const waiters: Array<{ predicate: (line: LogLine) => boolean, resolve: (line: LogLine) => void }> = []
  // The other stream is drained, so a child writing to it never blocks on a full pipe.
  if (options.lines === 'stderr') child.stdout!.resume()
  createInterface({ input: options.lines === 'stderr' ? child.stderr! : child.stdout! }).on('line', text => {
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
      exited.then(({ code }) => { throw new Error(`${options.entry} exited (${code}) before the expected line; stderr: ${stderr}`) })
    ])
  }
  return { child, lines, waitFor, exited, stderr: () => stderr }
}
