// Provider facts: docs/providers/README.md#numbers
/**
 * Usage numbers as providers send them: Alibaba declares some numeric fields as strings, and Tencent's int64
 * fields may arrive as all-digit strings from some JSON stacks. Both spellings are read; fractions, negatives
 * and junk are refused, never rounded or read as 0.
 *
 * Exactness: every number read, and every number made from one (minutes × 60, a sum), is a safe integer
 * (at most Number.MAX_SAFE_INTEGER = 2^53 − 1), where float64 arithmetic on integers is exact. A value past it
 * cannot be told from its neighbours, so the answer holding it is refused (UPSTREAM_MALFORMED) and the message
 * names the value; nothing is rounded. A JSON number is read by JSON.parse before any check here: one that is
 * not a safe integer once parsed is refused, and that includes every integer of 2^53 or more.
 */
import { z } from 'zod'
import { UpstreamError } from '../../errors.js'

const LARGEST = Number.MAX_SAFE_INTEGER

const ABSENT = 'required, but absent or null: an absent number is not a zero anybody reported'

/** A non-negative integer sent as a JSON number or a numeric string. */
export const providerInteger = z.union([z.number(), z.string()], {
  error: issue => issue.input === undefined || issue.input === null
    ? ABSENT
    : `expected a number or a numeric string, got ${describe(issue.input)}`
}).transform((input, context) => {
  const value = readInteger(input)
  if (typeof value === 'string') {
    context.addIssue({ code: 'custom', message: value, input })
    return z.NEVER
  }
  return value
})

/** providerInteger without zod, for per-item readers on hot paths: the integer, or why it is refused. */
export function readProviderInteger (input: unknown): number | string {
  // A safe integer JSON number is by far the common case: answered without a further look.
  if (typeof input === 'number' && Number.isSafeInteger(input) && input >= 0) return input
  if (typeof input === 'string') {
    const digits = shortDigits(input)
    if (digits >= 0) return digits
  }
  if (input === undefined || input === null) return ABSENT
  if (typeof input !== 'number' && typeof input !== 'string') return `expected a number or a numeric string, got ${describe(input)}`
  return readInteger(input)
}

/**
 * A string of 1 to 15 ASCII digits (the way Alibaba sends numbers), read without a regular expression; -1 for any
 * other string, which readInteger then reads or refuses. Fifteen digits stay below 10^15 < 2^53: the value is exact.
 */
function shortDigits (text: string): number {
  const length = text.length
  if (length === 0 || length > 15) return -1
  let value = 0
  for (let index = 0; index < length; index++) {
    const digit = text.charCodeAt(index) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/** The integer, or why it is refused (naming the value). */
function readInteger (input: number | string): number | string {
  // Any number of digits is read, so a long one is refused by its size rather than by its shape.
  if (typeof input === 'string' && !/^\s*\d+\s*$/.test(input)) return `expected a non-negative integer, got ${describe(input)}`
  // A huge JSON number reaches here already rounded by JSON.parse; refusing every unsafe one catches that.
  const value = Number(input)
  if (!Number.isInteger(value) || value < 0) return `expected a non-negative integer, got ${describe(input)}`
  if (!Number.isSafeInteger(value)) return `${describe(input)} is past ${LARGEST}, the largest integer this service counts exactly`
  return value
}

function describe (input: unknown): string {
  const text = typeof input === 'string' ? JSON.stringify(input) : String(input)
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/**
 * Minutes to seconds, exactly or not at all: a product past 2^53 − 1 is refused, naming the field (`what`), the item
 * (`of`, when given) and the value. The message is put together only then: this runs once per provider number.
 */
export function minutesToSeconds (minutes: number, what: string, of?: string): number {
  const seconds = minutes * 60
  if (!Number.isSafeInteger(seconds)) {
    throw new UpstreamError('UPSTREAM_MALFORMED', `${what}${of === undefined ? '' : ` of ${of}`} ${minutes} minutes is ${minutes} × 60 seconds, past ${LARGEST}: it cannot be counted exactly`)
  }
  return seconds
}

/**
 * `left + right` for provider-side sums (e.g. a breakdown checked against its total), refused past 2^53 − 1;
 * `what` names them, called only then.
 */
export function addExactly (left: number, right: number, what: () => string): number {
  const sum = left + right
  if (!Number.isSafeInteger(sum)) {
    throw new UpstreamError('UPSTREAM_MALFORMED', `${what()}: ${left} + ${right} is past ${LARGEST}: it cannot be added exactly`)
  }
  return sum
}
