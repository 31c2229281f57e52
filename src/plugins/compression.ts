/**
 * gzip or brotli for every answer of 1 KiB or more, by the caller's Accept-Encoding (brotli preferred). A year
 * of hourly points is megabytes of JSON or CSV that compress tenfold. Brotli runs at quality 4 (the plugin's
 * default): close to gzip's speed with smaller output; the top qualities cost far more CPU than they save.
 */
import compress from '@fastify/compress'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const compressionPlugin = fp(async (app: FastifyInstance) => {
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 })
}, { name: 'compression' })
