/**
 * The one source of fast-check seeds. Every `fc.assert` takes `{ seed: propertySeed(t), ... }` so that a failure
 * seen once (in CI, on another machine) replays exactly with `FC_SEED=<seed> npx tap <file>`.
 */
import { randomInt } from 'node:crypto'
import type { Test } from 'tap'

function readSeed (text: string | undefined): number {
  if (text === undefined || text === '') return randomInt(0, 2 ** 31)
  const seed = Number(text)
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(text)}`)
  return seed
}

/** One seed per test file: rerunning the file with it replays every property in it. */
const SEED = readSeed(process.env.FC_SEED)

/**
 * The seed for the properties of test `t`. It is printed when the test fails, and always under CI, where a log
 * is all there is to go on afterwards.
 */
export function propertySeed (t: Test): number {
  const line = `fast-check seed ${SEED} (rerun with FC_SEED=${SEED})`
  if (process.env.CI === 'true') t.comment(line)
  else t.teardown(() => { if (!t.passing()) t.comment(line) })
  return SEED
}
