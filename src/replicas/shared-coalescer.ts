/**
 * Identical upstream calls in flight on several replicas, made once. The first replica to set the call's lease
 * key (SET NX) leads: it makes the call, renews the lease while the call runs, and publishes the outcome (the
 * answer, or the provider's failure) under a result key named after the call's instance. The others wait for that
 * key. A leader that dies stops renewing; when its lease runs out with no result, the first waiter to notice
 * takes the lease over atomically and makes the call itself, so a replica dying mid-call holds the rest up by
 * one lease at most.
 *
 * The lease holds `<instance>/<token>`: the instance is the first leader's token, kept by whoever takes the lease
 * over, so every waiter of the call watches one result key however many leaders it had. (Keyed by each leader's
 * token, a waiter that polled only before and after a takeover found the lease free and no result, and made the
 * call a second time.) Results are keyed by the instance, not by the call alone: a replica arriving after a call
 * has finished starts a new one (or finds it in the cache layer), exactly as in-process coalescing only joins
 * calls still in flight, and a failure is only ever seen by those who waited for that call.
 *
 * Waiters poll (with jitter) rather than subscribe: a poll cannot miss a result published between two steps,
 * and with the in-process coalescing in front of this layer each replica has at most one waiter per call. One
 * request can still wait for a hundred calls at once, so a replica watches all its calls with one script per
 * poll, not one each: a hundred scripts every 50 ms kept a busy replica's event loop late enough for commands to
 * time out, and a timeout counts as Redis being gone.
 * When Redis cannot be reached, each replica makes the call itself (counted in `fallbacks`); its budget layer
 * still keeps the calls within the provider's limits.
 */
import { randomUUID } from 'node:crypto'
import { UpstreamError } from '../errors.js'
import type { FetchResult } from '../usage/source-adapter.js'
import { decodeOutcome, encodeOutcome, type CallOutcome } from './fetch-result-codec.js'
import { pollDelayMs } from './poll-delay.js'
import { isCommandTimeout, type RedisConnection } from './redis-connection.js'
import { DEFAULT_KEY_PREFIX, redisKeyOf } from './redis-keys.js'

/** Returns {'lead'} when this token now holds the lease, {'wait', holder} when another does. */
const JOIN = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'lead'} end
return {'wait', redis.call('GET', KEYS[1])}
`

/**
 * For each watched call i (its lease KEYS[2i-1], the watched instance's result KEYS[2i]; ARGV[2i-1] the lease value
 * that would take the lease over, ARGV[2i] its lease): {'done', payload} once published, {'wait', holder} while a
 * leader holds the lease, or {'lead'} when the lease was free and the token took it.
 */
const WATCH_ALL = `
local replies = {}
for i = 1, #KEYS / 2 do
  local leaseKey, resultKey = KEYS[2 * i - 1], KEYS[2 * i]
  local payload = redis.call('GET', resultKey)
  if payload then
    replies[i] = {'done', payload}
  elseif redis.call('SET', leaseKey, ARGV[2 * i - 1], 'NX', 'PX', ARGV[2 * i]) then
    replies[i] = {'lead'}
  else
    replies[i] = {'wait', redis.call('GET', leaseKey)}
  end
end
return replies
`

const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`

/** Publishes the outcome (when there is one) and gives the lease up, in one step so no waiter sees neither. */
const FINISH = `
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`

export interface SharedCoalescerOptions {
  /** How long a leader may go without renewing before a waiter takes over. */
  leaseMs?: number
  /** How long a published outcome stays readable for the waiters. */
  resultTtlMs?: number
  /** Longest a waiter goes without looking. */
  pollMs?: number
  keyPrefix?: string
}

type WatchReply = ['lead'] | ['wait', string | null] | ['done', string]

interface Watch {
  leaseKey: string
  resultKey: string
  /** `<instance>/<token>`: what this replica writes into the lease to take the watched call over. */
  takeover: string
  leaseMs: number
  settle: (outcome: { reply: WatchReply } | { error: unknown }) => void
}

export class SharedCoalescer {
  /** Calls made without sharing because Redis could not be relied on. */
  fallbacks = 0
  private readonly leaseMs: number
  private readonly resultTtlMs: number
  private readonly pollMs: number
  private readonly keyPrefix: string
  /** Calls waited for, looked at together on the next poll. */
  private watches: Watch[] = []
  private pollTimer: NodeJS.Timeout | null = null

  constructor (private readonly connection: RedisConnection, options: SharedCoalescerOptions = {}) {
    this.leaseMs = options.leaseMs ?? 10_000
    this.resultTtlMs = options.resultTtlMs ?? 30_000
    this.pollMs = options.pollMs ?? 50
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX
  }

  /**
   * The outcome of the call identified by `key`, made by whichever replica leads it. `call` runs here only when
   * this replica leads (first, or after a dead leader's lease ran out) or Redis cannot be relied on. `onWait` is
   * told once when this replica starts waiting for another's call (for /metrics, and for tests to know it joined).
   */
  async joinOrLead (key: string, call: (signal: AbortSignal) => Promise<FetchResult>, signal: AbortSignal, leaseMs = this.leaseMs, onWait?: () => void): Promise<FetchResult> {
    const leaseKey = redisKeyOf(this.keyPrefix, 'lease', key)
    const token = randomUUID()
    if (!this.connection.isConnected) return await this.callAlone(call, signal)
    // Leading from the start, this replica's token names the instance too.
    let lease = `${token}/${token}`
    let reply: WatchReply | undefined
    while (reply === undefined) {
      signal.throwIfAborted()
      try {
        reply = await this.connection.evalScript(JOIN, [leaseKey], [lease, leaseMs]) as WatchReply
      } catch (error) {
        if (this.stillTrusted(error)) continue
        this.giveUp(leaseKey, lease, error)
        return await this.callAlone(call, signal)
      }
    }
    let waiting = false
    for (;;) {
      // A step whose reply timed out may have taken the lease for this replica: then it leads.
      if (reply[0] === 'lead' || (reply[0] === 'wait' && reply[1] === lease)) return await this.lead(leaseKey, lease, call, signal, leaseMs)
      if (reply[0] === 'done') {
        const outcome = decodeOutcome(reply[1])
        // Not a payload this code wrote: nothing to trust, so this replica asks the provider itself.
        if (outcome === undefined) return await this.callAlone(call, signal)
        if (outcome.ok) return outcome.result
        throw outcome.error
      }
      // The holder's instance, kept through takeovers; a lease gone between the two steps of JOIN names none, and
      // this replica would start an instance of its own.
      const instance = instanceOf(reply[1]) ?? token
      lease = `${instance}/${token}`
      if (!waiting) onWait?.()
      waiting = true
      try {
        reply = await this.watch({ leaseKey, resultKey: this.resultKey(leaseKey, instance), takeover: lease, leaseMs }, signal)
      } catch (error) {
        if (signal.aborted) throw error
        // A slow poll while Redis is still trusted: keep waiting (the lease still bounds the wait).
        if (this.stillTrusted(error)) continue
        this.giveUp(leaseKey, lease, error)
        return await this.callAlone(call, signal)
      }
    }
  }

  /** The next reply about one watched call, from the next poll of every call this replica waits for. */
  private async watch (watch: Omit<Watch, 'settle'>, signal: AbortSignal): Promise<WatchReply> {
    signal.throwIfAborted()
    return await new Promise<WatchReply>((resolve, reject) => {
      const onAbort = (): void => {
        this.watches = this.watches.filter(each => each !== entry)
        reject(signal.reason)
      }
      const entry: Watch = {
        ...watch,
        settle: outcome => {
          signal.removeEventListener('abort', onAbort)
          if ('reply' in outcome) resolve(outcome.reply)
          else reject(outcome.error)
        }
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.watches.push(entry)
      this.schedulePoll()
    })
  }

  private schedulePoll (): void {
    if (this.pollTimer !== null) return
    this.pollTimer = setTimeout(() => { this.pollTimer = null; this.poll().catch(() => {}) }, pollDelayMs(this.pollMs, this.pollMs))
  }

  /** One script for every call waited for; each waiter gets its reply, or the failure when Redis did not answer. */
  private async poll (): Promise<void> {
    const watches = this.watches
    this.watches = []
    if (watches.length === 0) return
    let replies: WatchReply[]
    try {
      replies = await this.connection.evalScript(WATCH_ALL,
        watches.flatMap(watch => [watch.leaseKey, watch.resultKey]),
        watches.flatMap(watch => [watch.takeover, watch.leaseMs])) as WatchReply[]
    } catch (error) {
      for (const watch of watches) watch.settle({ error })
      return
    }
    watches.forEach((watch, index) => { watch.settle({ reply: replies[index]! }) })
  }

  /** A reply that only came late, while Redis is still trusted (being confirmed): the step may be asked again. */
  private stillTrusted (error: unknown): boolean {
    this.connection.reportFailure(error)
    return isCommandTimeout(error) && this.connection.isConnected
  }

  /**
   * Redis failed (or timed out) mid-step: the step may still have run and given this replica the lease, which
   * would keep the others waiting for a call that is never shared. It is released, best effort.
   */
  private giveUp (leaseKey: string, lease: string, error: unknown): void {
    this.connection.reportFailure(error)
    this.finish(leaseKey, lease, null)
  }

  private async lead (leaseKey: string, lease: string, call: (signal: AbortSignal) => Promise<FetchResult>, signal: AbortSignal, leaseMs: number): Promise<FetchResult> {
    const renewal = setInterval(() => {
      this.connection.evalScript(RENEW, [leaseKey], [lease, leaseMs]).catch(error => { this.connection.reportFailure(error) })
    }, Math.max(10, Math.floor(leaseMs / 3)))
    renewal.unref()
    let outcome: CallOutcome | null = null
    try {
      const result = await call(signal)
      outcome = { ok: true, result }
      return result
    } catch (error) {
      // A provider's failure is the call's outcome; anything else (this replica's deadline, a bug) is this
      // replica's own, so the lease is given up without a result and a waiter makes the call instead.
      if (error instanceof UpstreamError && !signal.aborted) outcome = { ok: false, error }
      throw error
    } finally {
      clearInterval(renewal)
      this.finish(leaseKey, lease, outcome)
    }
  }

  private finish (leaseKey: string, lease: string, outcome: CallOutcome | null): void {
    let payload = ''
    try {
      if (outcome !== null) payload = encodeOutcome(outcome)
    } catch {
      // Cannot be shared exactly: the waiters make the call themselves rather than read an approximation.
    }
    this.connection.evalScript(FINISH, [leaseKey, this.resultKey(leaseKey, instanceOf(lease) ?? lease)], [lease, payload, this.resultTtlMs])
      .catch(error => { this.connection.reportFailure(error) })
  }

  private async callAlone (call: (signal: AbortSignal) => Promise<FetchResult>, signal: AbortSignal): Promise<FetchResult> {
    this.fallbacks++
    return await call(signal)
  }

  private resultKey (leaseKey: string, instance: string): string {
    return `${leaseKey}:result:${instance}`
  }
}

/** The instance part of a lease value `<instance>/<token>`, or null for none (no holder, or not a value of this code). */
function instanceOf (lease: string | null): string | null {
  if (lease === null) return null
  const slash = lease.indexOf('/')
  return slash > 0 ? lease.slice(0, slash) : null
}
