/**
 * Every request's code runs inside its request context, so a log line written deep in a source's executor
 * carries the request id. The hook is callback-style so that everything after it (handler included) runs
 * inside the store.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { runInRequest } from '../observability/request-context.js'

export const requestContextPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, _reply, done) => {
    runInRequest(request.log, done)
  })
}, { name: 'request-context' })
