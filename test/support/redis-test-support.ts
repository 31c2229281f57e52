/**
 * What the tests that need a real Redis share: the URL (from USAGE_TEST_REDIS_URL, skipped loudly without it),
 * a key prefix of their own (tap runs files in parallel against the same Redis), connections closed and keys
 * removed at the end, and a TCP proxy the test can cut and restore to play a Redis outage.
 */
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import net from 'node:net'
import { RedisConnection, type RedisConnectionOptions } from '../../src/replicas/redis-connection.js'

export const testRedisUrl = process.env.USAGE_TEST_REDIS_URL?.trim() || undefined

type TestLike = {
  comment: (message: string) => void
  teardown: (callback: () => unknown) => void
}

/** True (after saying so) when the file's Redis tests cannot run. */
export function skipWithoutRedis (t: TestLike): boolean {
  if (testRedisUrl !== undefined) return false
  t.comment('# SKIPPED: Redis tests (set USAGE_TEST_REDIS_URL=redis://127.0.0.1:6379)')
  return true
}

export function uniquePrefix (name: string): string {
  return `usage-test:${name}:${randomUUID()}:`
}

export const testConnectionOptions: RedisConnectionOptions = {
  // Long enough that a busy machine does not pass for a Redis outage; outage tests set their own.
  commandTimeoutMs: 3000,
  connectTimeoutMs: 500,
  probeIntervalMs: 50,
  reconnectMaxDelayMs: 100
}

/**
 * A connection closed when the test ends; resolves once Redis has answered (a probe timed out on a busy
 * machine is retried, so tests start from a known state).
 */
export async function openConnection (t: TestLike, url = testRedisUrl!, options: RedisConnectionOptions = {}): Promise<RedisConnection> {
  const connection = new RedisConnection(url, { ...testConnectionOptions, ...options })
  t.teardown(async () => { await connection.close() })
  if (await connection.waitUntilSettled() !== 'connected') await once(connection, 'connected')
  return connection
}

/** A connection to a port where nothing listens, once it has given up. */
export async function openDeadConnection (t: TestLike): Promise<RedisConnection> {
  const connection = new RedisConnection(`redis://127.0.0.1:${await unusedPort()}`, testConnectionOptions)
  t.teardown(async () => { await connection.close() })
  await connection.waitUntilSettled()
  return connection
}

/** Removes every key under the prefix when the test ends. */
export function cleanUpKeys (t: TestLike, prefix: string): void {
  t.teardown(async () => {
    const cleaner = new RedisConnection(testRedisUrl!, testConnectionOptions)
    if (await cleaner.waitUntilSettled() !== 'connected') await once(cleaner, 'connected')
    const keys = await cleaner.client.keys(`${prefix}*`)
    if (keys.length > 0) await cleaner.client.del(...keys)
    await cleaner.close()
  })
}

/** A port on loopback where nothing listens (found by listening on port 0 and closing again). */
export async function unusedPort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise(resolve => server.close(resolve))
  return port
}

export interface RedisProxy {
  url: string
  /** Drops every connection and refuses new ones: Redis is gone, as far as the client can tell. */
  cut(): Promise<void>
  /** Listens again on the same port. */
  restore(): Promise<void>
  /** Holds every byte in both directions, connections open: Redis stops answering, as on a stalled network. */
  pause(): void
  /** Delivers what was held, in order, and forwards again. */
  resume(): void
  close(): Promise<void>
}

/** A TCP proxy in front of the test Redis whose outages the test decides. */
export async function startRedisProxy (): Promise<RedisProxy> {
  const target = new URL(testRedisUrl!)
  const sockets = new Set<net.Socket>()
  let paused = false
  let held: Array<() => void> = []
  const forward = (from: net.Socket, to: net.Socket): void => {
    from.on('data', chunk => {
      if (paused) held.push(() => to.write(chunk))
      else to.write(chunk)
    })
  }
  const server = net.createServer(client => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname)
    sockets.add(client).add(upstream)
    const forget = (): void => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
    client.on('error', forget).on('close', forget)
    upstream.on('error', forget).on('close', forget)
    forward(client, upstream)
    forward(upstream, client)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const cut = async (): Promise<void> => {
    const closed = new Promise(resolve => server.close(resolve))
    for (const socket of sockets) socket.destroy()
    await closed
  }
  return {
    url: `redis://127.0.0.1:${port}${target.pathname}`,
    cut,
    restore: async () => { await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve)) },
    close: async () => { if (server.listening) await cut() },
    pause: () => { paused = true },
    resume: () => {
      const delivering = held
      held = []
      paused = false
      for (const deliver of delivering) deliver()
    }
  }
}
