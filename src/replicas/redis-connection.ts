/**
 * The one Redis connection of a replica, and whether it can be relied on right now.
 *
 * Sharing the budget through Redis must never make the service slower or less available than running alone, so
 * every command is bounded (`commandTimeout`) and nothing is queued while disconnected (`enableOfflineQueue:
 * false`): a dead Redis fails a command at once and the caller falls back to its in-process share. ioredis keeps
 * reconnecting in the background; while the connection is not known good, a PING on an interval decides when to
 * trust it again. Each change of health is one event, so the service logs once on entering fallback and once on
 * leaving it, and counts the episodes.
 */
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { Redis } from 'ioredis'

/** A command that got no reply in time (ioredis's commandTimeout), as opposed to a refused or closed connection. */
export function isCommandTimeout (error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out'
}

export type RedisHealth = 'connecting' | 'connected' | 'degraded'

export interface RedisConnectionOptions {
  /** Longest a command may take before it counts as a failure of Redis. */
  commandTimeoutMs?: number
  connectTimeoutMs?: number
  /** How often a connection that is not known good is probed with PING. */
  probeIntervalMs?: number
  /** Longest pause between reconnection attempts. */
  reconnectMaxDelayMs?: number
}

interface HealthEvents {
  /** Redis stopped answering: callers use their in-process fallback until `connected`. */
  degraded: [error: Error]
  connected: []
}

export class RedisConnection extends EventEmitter<HealthEvents> {
  readonly client: Redis
  private state: RedisHealth = 'connecting'
  private probeTimer: NodeJS.Timeout | null = null
  private probing = false
  private confirming = false
  private readonly scriptDigests = new Map<string, string>()
  private closed = false
  /** How many times the connection went from usable to unusable (or never became usable). */
  degradations = 0
  /** When (performance.now()) Redis last stopped being relied on; -Infinity until it first does. */
  degradedAt = Number.NEGATIVE_INFINITY
  /** When (performance.now()) Redis was last relied on again after an outage; -Infinity until it is. */
  recoveredAt = Number.NEGATIVE_INFINITY
  /**
   * The longest a replica with these settings may take to notice that Redis answers again: its next reconnection
   * attempt, then its next probe.
   */
  readonly noticeMs: number

  constructor (url: string, options: RedisConnectionOptions = {}) {
    super()
    const reconnectMaxDelayMs = options.reconnectMaxDelayMs ?? 2000
    const probeIntervalMs = options.probeIntervalMs ?? 1000
    this.noticeMs = reconnectMaxDelayMs + probeIntervalMs
    this.client = new Redis(url, {
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      enableOfflineQueue: false,
      // A command that failed is not resent: its caller has already fallen back.
      maxRetriesPerRequest: 0,
      retryStrategy: times => Math.min(50 * times, reconnectMaxDelayMs),
      lazyConnect: false
    })
    // Without a listener ioredis prints every connection error; they are reported through the health state.
    this.client.on('error', error => { this.reportFailure(error) })
    this.client.on('close', () => { if (this.state === 'connected') this.reportFailure(new Error('Redis connection closed')) })
    this.client.on('ready', () => { this.probe().catch(() => {}) })
    // Only a connection ioredis considers ready is probed: one still being (re)established reports its own
    // failures, and probing it would call a Redis slow to accept at boot unreachable.
    this.probeTimer = setInterval(() => {
      if (this.state !== 'connected' && this.client.status === 'ready') this.probe().catch(() => {})
    }, probeIntervalMs)
    this.probeTimer.unref()
  }

  get health (): RedisHealth {
    return this.state
  }

  get isConnected (): boolean {
    return this.state === 'connected'
  }

  /**
   * Runs a Lua script by its digest, sending its text only when Redis does not know it yet (after a restart or
   * a SCRIPT FLUSH). Failures are the caller's to report: a timeout and a refused connection look alike here.
   */
  async evalScript (script: string, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    let digest = this.scriptDigests.get(script)
    if (digest === undefined) {
      digest = createHash('sha1').update(script).digest('hex')
      this.scriptDigests.set(script, digest)
    }
    try {
      return await this.client.evalsha(digest, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await this.client.eval(script, keys.length, ...keys, ...args)
    }
  }

  /**
   * A command failed for a reason that says nothing about the data: stop relying on Redis until a probe answers.
   * A timeout while connected is confirmed first: on a busy process the reply may only have waited behind this
   * process's own event loop (the timer runs before the socket is read), and calling that an outage made every
   * replica under load fall back and make every call itself. A PING settles it; until then `isConnected` stays
   * true and callers may ask again (see isCommandTimeout).
   */
  reportFailure (error: unknown): void {
    if (this.closed || this.state === 'degraded') return
    if (this.state === 'connected' && isCommandTimeout(error)) {
      this.confirmTimeout(error)
      return
    }
    this.degrade(error)
  }

  private confirmTimeout (error: unknown): void {
    if (this.confirming) return
    this.confirming = true
    this.client.ping()
      .then(() => undefined, () => { this.degrade(error) })
      .finally(() => { this.confirming = false })
  }

  private degrade (error: unknown): void {
    if (this.closed || this.state === 'degraded') return
    this.state = 'degraded'
    this.degradations++
    this.degradedAt = performance.now()
    this.emit('degraded', error instanceof Error ? error : new Error(String(error)))
  }

  /** Resolves when a probe has answered or the connection gave up; for boot and tests. */
  async waitUntilSettled (): Promise<RedisHealth> {
    if (this.state !== 'connecting') return this.state
    return await new Promise(resolve => {
      const settle = (): void => {
        this.off('connected', settle)
        this.off('degraded', settle)
        resolve(this.state)
      }
      this.on('connected', settle)
      this.on('degraded', settle)
    })
  }

  async close (): Promise<void> {
    this.closed = true
    if (this.probeTimer !== null) clearInterval(this.probeTimer)
    this.probeTimer = null
    this.client.disconnect()
  }

  private async probe (): Promise<void> {
    if (this.probing || this.closed) return
    this.probing = true
    try {
      await this.client.ping()
      if (this.state !== 'connected' && !this.closed) {
        if (this.state === 'degraded') this.recoveredAt = performance.now()
        this.state = 'connected'
        this.emit('connected')
      }
    } catch (error) {
      this.degrade(error)
    } finally {
      this.probing = false
    }
  }
}
