/**
 * A provider's list of usage items, checked field by field without zod's per-item machinery: an answer holds
 * thousands of items, and zod objects per item were most of an adapter's time. The checks are the same ones a zod
 * object of these fields makes (required strings, optional strings, provider integers exact or refused), and the
 * first problem is reported as a zod issue with its path, so the answer is refused (UPSTREAM_MALFORMED) exactly as
 * before. Each item is the parsed object itself, a value the reader changed (a numeric string read as its integer)
 * written back: the body was parsed for this answer alone, and a copy per item was a large part of the garbage. Its
 * undeclared fields stay, out of the item's type, never read.
 */
import { z } from 'zod'
import { readProviderInteger } from './provider-numbers.js'

/** Reads one field: its value, or a Refusal saying why not. */
export type FieldReader<Value> = (input: unknown) => Value | Refusal

export class Refusal {
  constructor (readonly message: string) {}
}

export const requiredText: FieldReader<string> = input =>
  typeof input === 'string' ? input : new Refusal(`Invalid input: expected string, received ${kindOf(input)}`)

export const nonEmptyText: FieldReader<string> = input =>
  typeof input !== 'string' ? requiredText(input) : input === '' ? new Refusal('Too small: expected string to have >=1 characters') : input

export const optionalText: FieldReader<string | null | undefined> = input =>
  input === undefined || input === null ? input : requiredText(input)

export const integer: FieldReader<number> = input => {
  const value = readProviderInteger(input)
  return typeof value === 'string' ? new Refusal(value) : value
}

type Shape = Record<string, FieldReader<unknown>>
type ItemOf<Fields extends Shape> = { [Name in keyof Fields]: Exclude<ReturnType<Fields[Name]>, Refusal> }

/** An array of items with these fields (other fields ignored), or the first problem with its path. */
export function itemList<Fields extends Shape> (fields: Fields) {
  const names = Object.keys(fields)
  const readers = names.map(name => fields[name]!)
  return z.unknown().transform((input, context): Array<ItemOf<Fields>> => {
    if (!Array.isArray(input)) {
      context.addIssue({ code: 'custom', message: `Invalid input: expected array, received ${kindOf(input)}`, input })
      return z.NEVER
    }
    const items: Array<ItemOf<Fields>> = new Array(input.length)
    for (let index = 0; index < input.length; index++) {
      const raw: unknown = input[index]
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        context.addIssue({ code: 'custom', path: [index], message: `Invalid input: expected object, received ${kindOf(raw)}`, input: raw })
        return z.NEVER
      }
      const item = raw as Record<string, unknown>
      for (let field = 0; field < names.length; field++) {
        const name = names[field]!
        const given = item[name]
        const value = readers[field]!(given)
        if (value instanceof Refusal) {
          context.addIssue({ code: 'custom', path: [index, name], message: value.message, input: raw })
          return z.NEVER
        }
        if (value !== given) item[name] = value
      }
      items[index] = item as ItemOf<Fields>
    }
    return items
  })
}

function kindOf (input: unknown): string {
  return input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input
}
