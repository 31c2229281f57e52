/**
 * Which request the current code runs for, without passing it down: an upstream call is made deep in a
 * source's executor, yet its log line should carry the request id of the request that caused it.
 * The hook is callback-style so that everything after it (handler included) runs inside the store.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const storage = new AsyncLocalStorage<FastifyBaseLogger>()

/** The logger of the request being served (it carries reqId), or undefined outside a request. */
export function currentRequestLogger (): FastifyBaseLogger | undefined {
  return storage.getStore()
}

export const requestContextPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, _reply, done) => {
    storage.run(request.log, done)
  })
}, { name: 'request-context' })
