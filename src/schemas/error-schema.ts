import { z } from 'zod'
import { ERROR_CODES } from '../errors.js'

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...Array<keyof typeof ERROR_CODES>]),
    message: z.string(),
    details: z.unknown().describe('For INVALID_QUERY: a list of { parameter, message } naming every problem.'),
    requestId: z.string().optional()
  })
}).describe('Every error answer has this shape.')
