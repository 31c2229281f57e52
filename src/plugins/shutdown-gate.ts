/**
 * While the app closes, requests still arriving on open keep-alive connections are answered 503 in the
 * documented error shape (Fastify's own return503OnClosing answers a shape of its own), with
 * `Connection: close` so the client moves to another instance. Requests already in flight finish, and their
 * connection is closed with the answer.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { UsageError } from '../errors.js'

export const shutdownGatePlugin = fp(async (app: FastifyInstance) => {
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    throw new UsageError('SHUTTING_DOWN', 'the service is shutting down; retry the request')
  })
  // An answer finished while closing would leave its keep-alive connection idle, and the server would wait for
  // the client (or the keep-alive timeout) before it could exit: the connection is closed with the answer instead.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
}, { name: 'shutdown-gate' })
