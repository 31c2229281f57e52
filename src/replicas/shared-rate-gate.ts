/**
 * The rate gate of one account's budget for one API, shared by every replica through Redis, with the same
 * guarantee as the in-process gate (src/usage/rate-gate.ts): at most `qps` slots; a slot may be taken only when
 * it is free; a slot becomes free one window (a second, plus a small margin) after the call holding it
 * *finished*. Arrivals sharing a slot are then always more than a second apart at the provider, whatever the
 * network or a busy event loop did to them, so no second there holds more than `qps` calls. The same slots also
 * cap the calls in flight: a slot whose lease is live is a call in flight, and no slot is handed out while
 * `concurrency` of them are.
 *
 * Why a Lua script and not rate-limiter-flexible: its fixed and sliding windows count *arrivals* (when a call
 * was let through), so a call that left at the end of one window and a call that left at the start of the next
 * can reach the provider in the same second; nor can it express "reusable one second after the previous call
 * in this slot finished", because that needs the finish time, recorded at release. A script reads and writes
 * every slot atomically, so two replicas can never take the same free slot, and it reads Redis's own clock
 * (`TIME`), so the replicas' clocks never matter: every instant in the hash is Redis time.
 *
 * A replica that dies holding a slot never releases it; each slot is therefore held under a lease that the
 * holder renews while its call runs. A slot whose lease has run out counts as finished at the lease's end and is
 * free a window after that. A call that outlives its lease because its replica could not renew it (cut off
 * from Redis for longer than a lease) is the one case where the guarantee can be broken. An acquire whose reply
 * is lost (a command timeout) may still have taken a slot: a best-effort FORGET gives it back, and the lease
 * covers the rest.
 *
 * Layout: one hash per budget. Field `h<i>` is the token of slot i's holder (absent when free); `a<i>` is the
 * instant the holder's lease ends while held, or the instant the slot is free again once released. The hash
 * expires on its own once nothing in it can matter any more.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ReleaseSlot } from '../usage/rate-gate.js'
import { pollDelayMs } from './poll-delay.js'
import type { RedisConnection } from './redis-connection.js'
import { DEFAULT_KEY_PREFIX, redisKeyOf } from './redis-keys.js'

const WINDOW_MS = 1000
/** As in the in-process gate: a slot's second is counted a little long, never short. */
const MARGIN_MS = 5
/** Longest a waiting replica goes without asking again (a release elsewhere does not wake it). */
const MAX_POLL_MS = 50
/** How long the hash outlives the last instant written into it. */
const KEY_SLACK_MS = 60_000

const NOW_MS = `
if redis.replicate_commands then redis.replicate_commands() end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`

/** Returns {1, slot, now} when a slot was taken, or {0, ms} with the earliest a retry can succeed. */
const ACQUIRE = `${NOW_MS}
local key = KEYS[1]
local slots = tonumber(ARGV[1])
local concurrency = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])
local token = ARGV[5]
local inFlight = 0
local freeSlot = nil
local freeSince = nil
local earliest = nil
for slot = 1, slots do
  local holder = redis.call('HGET', key, 'h' .. slot)
  local at = tonumber(redis.call('HGET', key, 'a' .. slot) or '0')
  local freeAt
  if holder and at > now then
    -- In flight: free no sooner than a window after a release that could come at any moment.
    inFlight = inFlight + 1
    freeAt = now + windowMs
  elseif holder then
    -- The holder let its lease run out (it died or lost Redis): its call counts as finished then.
    freeAt = at + windowMs
  else
    freeAt = at
  end
  if freeAt <= now then
    if freeSlot == nil or freeAt < freeSince then
      freeSlot = slot
      freeSince = freeAt
    end
  elseif earliest == nil or freeAt < earliest then
    earliest = freeAt
  end
end
if inFlight >= concurrency then
  return {0, 0}
end
if freeSlot == nil then
  return {0, earliest - now}
end
redis.call('HSET', key, 'h' .. freeSlot, token, 'a' .. freeSlot, now + leaseMs)
redis.call('PEXPIRE', key, leaseMs + windowMs + ${KEY_SLACK_MS})
return {1, freeSlot, now}
`

/** Extends the lease of a slot still held by this token; 0 when it is not (its lease ran out and it was retaken). */
const RENEW = `${NOW_MS}
local key = KEYS[1]
local slot = ARGV[1]
if redis.call('HGET', key, 'h' .. slot) ~= ARGV[2] then return 0 end
local leaseMs = tonumber(ARGV[3])
redis.call('HSET', key, 'a' .. slot, now + leaseMs)
redis.call('PEXPIRE', key, leaseMs + tonumber(ARGV[4]) + ${KEY_SLACK_MS})
return 1
`

/** Records the finish: the slot is free a window from now. A slot retaken after its lease ran out is left alone. */
const RELEASE = `${NOW_MS}
local key = KEYS[1]
local slot = ARGV[1]
if redis.call('HGET', key, 'h' .. slot) ~= ARGV[2] then return 0 end
local windowMs = tonumber(ARGV[3])
redis.call('HDEL', key, 'h' .. slot)
redis.call('HSET', key, 'a' .. slot, now + windowMs)
redis.call('PEXPIRE', key, windowMs + ${KEY_SLACK_MS})
return 1
`

/**
 * Gives up whatever slot this token holds. Sent after an acquire whose reply never came (a command timeout):
 * the script may still have run and taken a slot, which would otherwise stay held until its lease ran out.
 */
const FORGET = `${NOW_MS}
local key = KEYS[1]
for slot = 1, tonumber(ARGV[1]) do
  if redis.call('HGET', key, 'h' .. slot) == ARGV[2] then
    redis.call('HDEL', key, 'h' .. slot)
    redis.call('HSET', key, 'a' .. slot, now + tonumber(ARGV[3]))
  end
end
return 1
`

export interface SharedRateGateOptions {
  qps: number
  concurrency: number
  /** How long a slot stays held without renewal; renewed every third of it while the call runs. */
  leaseMs?: number
  keyPrefix?: string
}

/** A failure of Redis (not of the call): the caller should fall back to its in-process share. */
export class SharedBudgetUnavailableError extends Error {
  constructor (cause: unknown) {
    super('the shared budget in Redis could not be reached', { cause })
    this.name = 'SharedBudgetUnavailableError'
  }
}

type GateReply = [1, number, number] | [0, number]

export class SharedRateGate {
  readonly key: string
  private readonly slots: number
  private readonly windowMs: number
  private readonly leaseMs: number
  private queue: Promise<unknown> = Promise.resolve()

  constructor (private readonly connection: RedisConnection, budgetKey: string, private readonly options: SharedRateGateOptions) {
    if (!(options.qps > 0)) throw new RangeError('qps must be positive')
    if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be a positive integer')
    this.slots = Math.max(1, Math.floor(options.qps))
    // Below one call a second, one slot waits proportionally longer (0.5 QPS: one call per 2 s), as in-process.
    this.windowMs = Math.ceil((this.slots * WINDOW_MS) / options.qps) + MARGIN_MS
    this.leaseMs = options.leaseMs ?? 15_000
    this.key = redisKeyOf(options.keyPrefix ?? DEFAULT_KEY_PREFIX, 'gate', budgetKey)
  }

  /**
   * Resolves with a function to call when the upstream call has finished (or failed). Waiters of this replica
   * queue in arrival order and only the first asks Redis, so a replica costs Redis one poll at a time per
   * budget. Rejects with the signal's reason when aborted, and with SharedBudgetUnavailableError when Redis fails.
   */
  async acquire (signal?: AbortSignal): Promise<ReleaseSlot> {
    const turn = this.queue.then(async () => await this.waitForSlot(signal))
    this.queue = turn.catch(() => undefined)
    return await turn
  }

  private async waitForSlot (signal?: AbortSignal): Promise<ReleaseSlot> {
    const token = randomUUID()
    for (;;) {
      signal?.throwIfAborted()
      let reply: GateReply
      try {
        reply = await this.call<GateReply>(ACQUIRE, [this.slots, this.options.concurrency, this.windowMs, this.leaseMs, token])
      } catch (error) {
        this.call(FORGET, [this.slots, token, this.windowMs]).catch(() => undefined)
        throw error
      }
      if (reply[0] === 1) {
        const slot = reply[1]
        // Aborted while the script ran: the slot is taken, so it is given back as a finished call (the safe side).
        if (signal?.aborted === true) {
          this.release(slot, token)
          signal.throwIfAborted()
        }
        return this.holding(slot, token)
      }
      await sleep(pollDelayMs(reply[1], MAX_POLL_MS), undefined, { signal })
    }
  }

  private holding (slot: number, token: string): ReleaseSlot {
    const renewal = setInterval(() => {
      this.call(RENEW, [slot, token, this.leaseMs, this.windowMs]).catch(() => undefined)
    }, Math.max(10, Math.floor(this.leaseMs / 3)))
    renewal.unref()
    let released = false
    return () => {
      if (released) return
      released = true
      clearInterval(renewal)
      this.release(slot, token)
    }
  }

  /** Never throws: when Redis cannot hear the release, the lease frees the slot. */
  private release (slot: number, token: string): void {
    this.call(RELEASE, [slot, token, this.windowMs]).catch(() => undefined)
  }

  private async call<T> (script: string, args: Array<string | number>): Promise<T> {
    try {
      return await this.connection.evalScript(script, [this.key], args) as T
    } catch (error) {
      this.connection.reportFailure(error)
      throw new SharedBudgetUnavailableError(error)
    }
  }
}
