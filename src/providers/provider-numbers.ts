// Provider facts: docs/providers/README.md#numbers
/**
 * Usage numbers as providers send them: Alibaba declares some numeric fields as strings, and Tencent's int64
 * fields may arrive as all-digit strings from some JSON stacks. Both spellings are read; fractions, negatives
 * and junk are refused, never rounded or read as 0.
 */
import { z } from 'zod'

/** A non-negative integer sent as a JSON number or a numeric string. */
export const providerInteger = z.union([
  z.number().int().nonnegative().refine(Number.isSafeInteger, 'integer too large'),
  z.string().trim().regex(/^\d{1,15}$/, 'expected a non-negative integer string').transform(Number)
])
