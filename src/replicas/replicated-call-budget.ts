/**
 * One account's call budget for one API across replicas: the shared gate in Redis while Redis answers, and an
 * in-process budget at this replica's share of it while Redis does not. Same `run` as the in-process
 * CallBudget, so it can take its place as the budget layer of a source's executor.
 *
 * The fallback keeps the service ready when Redis is down: every replica then calls at its share (the budget
 * divided by `USAGE_REPLICAS`), so together they still stay within the provider's limit. Only a replica cut off
 * from a Redis the others still reach adds its share on top of theirs; that is the price of staying up.
 *
 * Going local: other replicas' calls made through Redis just before it went away are unknown here, and may
 * already fill the provider's current second. So the local share starts only once the window of a shared slot
 * has passed since this replica stopped relying on Redis; otherwise that second could see the whole budget
 * plus every replica's share.
 *
 * Going back: the calls this replica made locally are unknown to Redis, so shared mode resumes only once they
 * have all finished (none still waiting for a local slot either) and their second has passed. Meanwhile, with
 * Redis answering again, each local call also takes a shared slot, so the replicas already sharing count it. Until then this replica keeps to its local share.
 * Nor does it resume before every other replica that lost Redis too can have noticed its return (the connection's
 * `noticeMs`) and the second of their purely local calls has passed: the first replica back used to take the whole
 * budget beside the others' shares (the failure test saw throttled calls at the return, about one run in fifteen).
 * Until they notice, the others call at their shares; after, their calls take shared slots as well.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { CallBudget } from '../usage/call-budget.js'
import { isCommandTimeout, type RedisConnection } from './redis-connection.js'
import { concurrencyShare, qpsShare } from './redis-settings.js'
import { SharedBudgetUnavailableError, SharedRateGate } from './shared-rate-gate.js'

export type BudgetMode = 'shared' | 'local'

export interface ReplicatedCallBudgetOptions {
  qps: number
  concurrency: number
  /** How many replicas share the budget; the local fallback runs at 1/replicas of it. */
  replicas?: number
  /** An explicit local fallback rate, instead of the share. */
  localQps?: number
  localConcurrency?: number
  leaseMs?: number
  keyPrefix?: string
}

/** As the gates' window: a local call's second must pass before Redis may hand its slot to another replica. */
const LOCAL_SETTLE_MS = 1005

export class ReplicatedCallBudget {
  readonly shared: SharedRateGate
  readonly local: CallBudget
  /** Calls this budget ran on its local share because Redis could not be relied on. */
  fallbacks = 0
  /** Local calls waiting for their slot or in flight. */
  private localPending = 0
  private lastLocalFinish = Number.NEGATIVE_INFINITY
  private readonly localWindowMs: number
  private readonly sharedWindowMs: number

  constructor (private readonly connection: RedisConnection, budgetKey: string, options: ReplicatedCallBudgetOptions) {
    const replicas = options.replicas ?? 1
    this.shared = new SharedRateGate(connection, budgetKey, options)
    const localQps = options.localQps ?? qpsShare(options.qps, replicas)
    this.local = new CallBudget(localQps, options.localConcurrency ?? concurrencyShare(options.concurrency, replicas))
    this.localWindowMs = Math.max(LOCAL_SETTLE_MS, LOCAL_SETTLE_MS / Math.min(1, localQps))
    this.sharedWindowMs = Math.max(LOCAL_SETTLE_MS, LOCAL_SETTLE_MS / Math.min(1, options.qps))
  }

  get mode (): BudgetMode {
    return this.connection.isConnected && this.localSettled() && this.othersNoticed() ? 'shared' : 'local'
  }

  async run<T> (signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
    while (this.mode === 'shared') {
      let release: () => void
      try {
        release = await this.shared.acquire(signal)
      } catch (error) {
        if (!(error instanceof SharedBudgetUnavailableError)) throw error
        signal.throwIfAborted()
        // A slow reply while Redis is still trusted: ask again rather than add a local call beside the shared ones.
        if (isCommandTimeout(error.cause) && this.connection.isConnected) continue
        break
      }
      try {
        return await attempt()
      } finally {
        release()
      }
    }
    return await this.runLocally(signal, attempt)
  }

  private async runLocally<T> (signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
    this.fallbacks++
    // Counted from here, not from when the call starts: a call still waiting for its local slot would otherwise
    // let shared mode resume, and then start beside the shared calls within the same second.
    this.localPending++
    try {
      const sharedCallsSettle = this.connection.degradedAt + this.sharedWindowMs - performance.now()
      if (sharedCallsSettle > 0) await sleep(sharedCallsSettle, undefined, { signal })
      return await this.local.run(signal, async () => {
        // Redis answering again while this replica still keeps to its share: the call takes a shared slot too, so
        // a replica already sharing again counts it instead of taking the whole budget beside it.
        const releaseShared = this.connection.isConnected ? await this.sharedSlotIfReachable(signal) : undefined
        try {
          return await attempt()
        } finally {
          releaseShared?.()
          this.lastLocalFinish = performance.now()
        }
      })
    } finally {
      this.localPending--
    }
  }

  private async sharedSlotIfReachable (signal: AbortSignal): Promise<(() => void) | undefined> {
    try {
      return await this.shared.acquire(signal)
    } catch (error) {
      if (!(error instanceof SharedBudgetUnavailableError)) throw error
      return undefined
    }
  }

  /** Since Redis came back, long enough for every replica to notice it and for their local calls' second to pass. */
  private othersNoticed (): boolean {
    return performance.now() - this.connection.recoveredAt >= this.connection.noticeMs + this.sharedWindowMs
  }

  private localSettled (): boolean {
    return this.localPending === 0 && performance.now() - this.lastLocalFinish >= this.localWindowMs
  }
}
