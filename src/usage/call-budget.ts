/**
 * The call budget of one account for one provider API: a rate gate at the API's QPS and a cap on calls in
 * flight, shared by every source that calls that API with that account, whatever request they serve.
 *
 * Providers count their limits per account and API, not per source of ours: two sources of one account for
 * the same API (two regions, two lists of app ids) each calling at the full QPS would together be throttled.
 * So budgets are keyed by the access key id and the kind. A kind is one API of one provider (one action),
 * so it names both. The endpoint is deliberately not part of the key: the documented limits are per account
 * and API, and nothing says a regional endpoint or a proxy has a budget of its own. When in doubt, sharing
 * costs speed; splitting wrongly costs throttled calls.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import { RateGate } from './rate-gate.js'
import type { SourceConfig } from './source-adapter.js'

type BudgetedSource = Pick<SourceConfig, 'id' | 'kind' | 'qps' | 'concurrency' | 'credentials'>

/** What a source's executor needs of a budget: in this process (CallBudget) or shared by replicas through Redis. */
export interface Budget {
  run<T>(signal: AbortSignal, attempt: () => Promise<T>): Promise<T>
}

export interface BudgetLimits { qps: number, concurrency: number }

export class CallBudget {
  private readonly gate: RateGate
  private readonly limit: LimitFunction

  constructor (readonly qps: number, readonly concurrency: number, monotonicNow?: () => number) {
    this.gate = new RateGate(qps, monotonicNow)
    this.limit = pLimit(concurrency)
  }

  /**
   * Runs one upstream attempt within the budget: first a place among the calls in flight, then a slot of the
   * rate gate, held until the attempt has settled (the gate counts a slot's second from then).
   */
  async run<T> (signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
    return await this.limit(async () => {
      const release = await this.gate.acquire(signal)
      try {
        return await attempt()
      } finally {
        release()
      }
    })
  }
}

/** Sources that share one budget but were configured with different limits; the smallest of each applies. */
export interface BudgetConflict {
  kind: string
  sources: string[]
  qps: number
  concurrency: number
}

/** One account's identity for one API. The secret is not part of it: a rotated secret is the same account. */
export function budgetKeyOf (source: Pick<SourceConfig, 'kind' | 'credentials'>): string {
  return `${source.kind}\u0000${source.credentials.accessKeyId}`
}

/**
 * Every budget of the service, made once at boot from every configured source by `create` (one call per account
 * and API, with the key of budgetKeyOf and the limits that apply).
 */
export class BudgetRegistry<B extends Budget = CallBudget> {
  private readonly budgets = new Map<string, B>()
  readonly conflicts: BudgetConflict[] = []

  /** Budgets kept in this process: what one instance alone, or every replica without Redis, uses. */
  static inProcess (sources: readonly BudgetedSource[]): BudgetRegistry<CallBudget> {
    return new BudgetRegistry(sources, (_key, limits) => new CallBudget(limits.qps, limits.concurrency))
  }

  constructor (sources: readonly BudgetedSource[], create: (key: string, limits: BudgetLimits) => B) {
    const groups = new Map<string, BudgetedSource[]>()
    for (const source of sources) {
      const key = budgetKeyOf(source)
      groups.set(key, [...groups.get(key) ?? [], source])
    }
    for (const [key, group] of groups) {
      // The smallest: whoever configured a lower limit knew something about this account (a lower quota, other
      // clients using it) that the larger one did not.
      const qps = Math.min(...group.map(source => source.qps))
      const concurrency = Math.min(...group.map(source => source.concurrency))
      if (group.some(source => source.qps !== qps || source.concurrency !== concurrency)) {
        this.conflicts.push({ kind: group[0]!.kind, sources: group.map(source => source.id), qps, concurrency })
      }
      this.budgets.set(key, create(key, { qps, concurrency }))
    }
  }

  budgetFor (source: BudgetedSource): B {
    const budget = this.budgets.get(budgetKeyOf(source))
    if (budget === undefined) throw new Error(`source '${source.id}' was not among the sources the budgets were made for`)
    return budget
  }
}
