/** Alibaba declares some numeric fields as strings; both spellings are accepted, nothing else is. */
import { z } from 'zod'

/** A non-negative integer sent as a JSON number or a numeric string. Fractions and junk are refused, never rounded. */
export const providerInteger = z.union([
  z.number().int().nonnegative().refine(Number.isSafeInteger, 'integer too large'),
  z.string().trim().regex(/^\d{1,15}$/, 'expected a non-negative integer string').transform(Number)
])
