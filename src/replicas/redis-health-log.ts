/**
 * One log line when a replica stops relying on Redis and one when it relies on it again, however many commands
 * failed in between: an outage is one event to whoever reads the log, not one line per upstream call.
 */
import type { Logger } from 'pino'
import type { RedisConnection } from './redis-connection.js'

/** Attach at boot; a connection that has already failed is reported at once. */
export function logRedisHealth (connection: RedisConnection, logger: Pick<Logger, 'warn' | 'info'>): void {
  const degraded = (reason: string): void => {
    logger.warn({ redis: { health: 'degraded', degradations: connection.degradations, reason } },
      'Redis is not answering: each replica calls at its own share of every budget, without shared coalescing or cache, until it answers again')
  }
  if (connection.health === 'degraded') degraded('not reachable since start')
  connection.on('degraded', error => { degraded(error.message) })
  connection.on('connected', () => {
    logger.info({ redis: { health: 'connected', degradations: connection.degradations } }, 'Redis answers: budgets, coalescing and the provisional cache are shared between replicas')
  })
}
