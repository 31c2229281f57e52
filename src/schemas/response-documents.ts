/**
 * Route responses as OpenAPI response objects: a description of their own (a bare schema would be documented as
 * "Default Response") and the schema per content type.
 */
import type { z } from 'zod'
import { ERROR_CODES, type ErrorCode } from '../errors.js'
import { errorResponseSchema } from './error-schema.js'

export function jsonResponse<Schema extends z.ZodType> (description: string, schema: Schema) {
  return { description, content: { 'application/json': { schema } } }
}

/** What any route can answer whatever it does: a malformed request, a closing instance, a bug. */
export const EVERY_ROUTE_ERRORS = ['INVALID_REQUEST', 'SHUTTING_DOWN', 'INTERNAL'] as const satisfies readonly ErrorCode[]

/**
 * The error answers of a route, one entry per HTTP status, listing the codes it can carry with their meaning from
 * the error registry. Documentation only: the error handler serializes errors itself.
 */
export function errorResponses (codes: readonly ErrorCode[]): Record<number, ReturnType<typeof jsonResponse<typeof errorResponseSchema>>> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) {
    const status = ERROR_CODES[code].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, sameStatus]) => [status, jsonResponse(
    sameStatus.map(code => `- \`${code}\`: ${ERROR_CODES[code].description}`).join('\n'),
    errorResponseSchema
  )]))
}
