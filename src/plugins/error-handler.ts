/**
 * One place turns every failure into the documented error shape. Nothing a caller sends becomes a 500:
 * validation and framework 4xx errors are answered as such; anything else is a logged bug with a bland message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ERROR_CODES, UsageError, isUsageError, type ErrorCode, type ErrorDetails } from '../errors.js'
import type { SecretRedactor } from '../security/secret-redactor.js'

/**
 * The redactor is the last guard of error bodies: provider messages are scrubbed where they are reported,
 * and this catches anything that echoes a secret on a path nobody thought of.
 */
export const errorHandlerPlugin = fp<{ redactor: SecretRedactor }>(async (app: FastifyInstance, { redactor }) => {
  const send = (reply: FastifyReply, requestId: string, code: ErrorCode, message: string, details: ErrorDetails, status: number = ERROR_CODES[code].status) =>
    reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify)
      .send(redactor.deep({ error: { code, message, details, requestId } }))

  // HTTP/1.1 requires Host (RFC 9112 §3.2). Node would refuse it itself with an empty body, so the server
  // options turn Node's check off and it is made here, answered in the documented shape.
  app.addHook('onRequest', async request => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new UsageError('INVALID_REQUEST', 'an HTTP/1.1 request needs a Host header')
    }
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map(issue => ({
        parameter: parameterOf(issue.instancePath, issue.params),
        message: issue.message ?? 'invalid value'
      }))
      return send(reply, request.id, 'INVALID_QUERY', details.map(detail => `${detail.parameter}: ${detail.message}`).join('; '), details)
    }
    if (isUsageError(error)) {
      if (error.statusCode >= 500 && error.code === 'INTERNAL') request.log.error({ err: error }, 'internal error')
      return send(reply, request.id, error.code, error.message, error.details)
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500
    // Only the static files of /docs answer 403, for a path that climbs out of their folder: to a caller
    // such a file does not exist, so it is the documented 404 rather than an undocumented status.
    if (status === 403) return send(reply, request.id, 'NOT_FOUND', noRouteMessage(request), [])
    if (status >= 400 && status < 500) {
      return send(reply, request.id, 'INVALID_REQUEST', error.message, [], status)
    }
    request.log.error({ err: error }, 'unhandled error')
    return send(reply, request.id, 'INTERNAL', 'internal error; the request id identifies it in the logs', [])
  })

  app.setNotFoundHandler((request, reply) => {
    send(reply, request.id, 'NOT_FOUND', noRouteMessage(request), [])
  })
}, { name: 'error-handler' })

function noRouteMessage (request: FastifyRequest): string {
  return `no route ${request.method} ${request.url.split('?')[0]}; see /docs`
}

/** Zod issue paths arrive as '/from' (or empty for an unknown key, which zod names in params.keys). */
function parameterOf (instancePath: string, params: unknown): string {
  const keys = (params as { keys?: unknown } | undefined)?.keys
  if (Array.isArray(keys) && keys.length > 0) return keys.map(String).join(',')
  const path = instancePath.replace(/^\//, '').split('/')[0]
  return path || 'query'
}
