/** The ledger CLI's configuration for a test: a sources file naming one live-producer simulator, and a place to capture output. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Test } from 'tap'
import type { CliEvent } from '../../../src/cli/step-output.js'

export const KEY_ID_VARIABLE = 'LEDGER_CLI_TEST_KEY_ID'
export const KEY_SECRET_VARIABLE = 'LEDGER_CLI_TEST_KEY_SECRET'

/** Writes the sources file and returns the environment the CLI reads (USAGE_STORE_URL added by the caller). */
export async function cliEnvironment (t: Test, simulatorUrl: string, account: { accessKeyId: string, accessKeySecret: string }, options: { qps?: number } = {}): Promise<Record<string, string>> {
  const directory = await mkdtemp(join(tmpdir(), 'ledger-cli-test-'))
  t.teardown(() => rm(directory, { recursive: true, force: true }))
  const file = join(directory, 'sources.json')
  await writeFile(file, JSON.stringify({
    sources: [{
      id: 'producer',
      kind: 'aliyun.live-producer',
      credentials: { accessKeyIdEnv: KEY_ID_VARIABLE, accessKeySecretEnv: KEY_SECRET_VARIABLE },
      endpoint: simulatorUrl,
      simulated: true,
      qps: options.qps ?? 50
    }]
  }))
  return { USAGE_SOURCES_FILE: file, [KEY_ID_VARIABLE]: account.accessKeyId, [KEY_SECRET_VARIABLE]: account.accessKeySecret, LOG_LEVEL: 'silent' }
}

export function captureStream (): { stream: Writable & { isTTY?: boolean }, text: () => string, events: () => CliEvent[] } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk, _encoding, callback) { chunks.push(String(chunk)); callback() } })
  const text = (): string => chunks.join('')
  return { stream, text, events: () => text().split('\n').filter(line => line !== '').map(line => JSON.parse(line)) }
}
