/**
 * Which request the current code runs for, without passing it down: an upstream call is made deep in a
 * source's executor, yet its log line should carry the request id of the request that caused it. The
 * request-context plugin (src/plugins/request-context.ts) enters the store for each request.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyBaseLogger } from 'fastify'

const storage = new AsyncLocalStorage<FastifyBaseLogger>()

/** The logger of the request being served (it carries reqId), or undefined outside a request. */
export function currentRequestLogger (): FastifyBaseLogger | undefined {
  return storage.getStore()
}

/** Runs `next` (and everything it starts) as part of the request whose logger this is. */
export function runInRequest (logger: FastifyBaseLogger, next: () => void): void {
  storage.run(logger, next)
}
