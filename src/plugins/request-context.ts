/**
 * Every request's code runs inside its request context, so a log line written deep in a source's executor
 * carries the request id. The hook is callback-style so that everything after it (handler included) runs
 * inside the store. It runs first, so every answer (errors, 404s and refused preflights included) carries
 * the id in `X-Request-Id`, the same id as the log lines and an error body's `requestId`.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { REQUEST_ID_HEADER } from '../http/request-id.js'
import { runInRequest } from '../observability/request-context.js'

export const requestContextPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    runInRequest(request.log, done)
  })
}, { name: 'request-context' })
