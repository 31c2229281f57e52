import { z } from 'zod'
import { ERROR_CODES } from '../errors.js'

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...Array<keyof typeof ERROR_CODES>]),
    message: z.string(),
    details: z.array(z.record(z.string(), z.unknown())).describe(
      'Always a list of objects, empty when the message says all. Each names the parameter or the source it is about: ' +
      'INVALID_QUERY: { parameter, message } for every problem; QUERY_TOO_LARGE: { parameter, ...the figures and their bounds }; ' +
      'UNALIGNED_QUERY: { source, message, suggestedZones }; NO_SOURCES: { source, kind, message } for every configured source; ' +
      'SOURCE_FAILED and DEADLINE_EXCEEDED: { source, ...that source\'s entry of sources[] } for every selected source.'
    ),
    requestId: z.string().describe('Identifies the request in the logs (reqId).')
  })
}).meta({ id: 'ErrorResponse', description: 'Every error answer has this shape.' })
