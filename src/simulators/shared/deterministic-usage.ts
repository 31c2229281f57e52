// Provider facts: docs/providers/README.md#simulators
/**
 * Simulated usage must be the same on every run and machine, so tests can compare two calls, and a day can be
 * checked against the sum of its hours without storing anything: values are a pure hash of their coordinates.
 */

// Changing the seed changes every simulated number; tests that pin values would need updating.
const SEED = 'usage-simulator-v1'

/** Deterministic non-negative integer in [0, max] from the seed and the keys. Same inputs, same output, forever. */
export function deterministicInteger (max: number, ...keys: Array<string | number>): number {
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`max must be a non-negative safe integer, got ${max}`)
  if (max === 0) return 0
  // The separator keeps ('ab', 'c') and ('a', 'bc') apart.
  const hash = mix32(fnv1a32([SEED, ...keys].join('\u0000')))
  return hash % (max + 1)
}

function fnv1a32 (text: string): number {
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

// FNV-1a alone leaves the low bits poorly mixed for inputs that differ only at the end (hour after hour),
// which would show as patterns after the modulo; murmur3's finalizer spreads every input bit.
export function mix32 (value: number): number {
  let hash = value
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}
