/**
 * Real headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core (no browser
 * download, ever: .ci/run installs the package when it is missing). Without any Chromium the tests say so loudly
 * and skip; CI always has one.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import type { Test } from 'tap'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env.USAGE_TEST_CHROMIUM?.trim() || '/usr/bin/chromium'

/** Flags for a quiet, offline browser: nothing of its own goes to the network while a test runs. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]

/** Where screenshots go (gitignored). */
export const ARTIFACTS = new URL('../artifacts/', import.meta.url)

/** True (after saying so) when no Chromium exists to run the file's tests. */
export function skipWithoutChromium (t: Pick<Test, 'comment'>): boolean {
  if (existsSync(CHROMIUM_PATH)) return false
  t.comment(`# SKIPPED: browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set USAGE_TEST_CHROMIUM)`)
  return true
}

/** One browser for the file, closed when the test ends. */
export async function launchBrowser (t: Test): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  t.teardown(() => browser.close())
  await mkdir(ARTIFACTS, { recursive: true })
  return browser
}

export function artifactPath (name: string): string {
  return new URL(name, ARTIFACTS).pathname
}
