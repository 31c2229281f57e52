/**
 * How background ledger work yields to live requests: at most one of its upstream calls is in flight per
 * account and API (the unit the providers' limits and our call budgets count in, see call-budget.ts).
 *
 * Why this rather than a priority inside the budget: the budget's gate and concurrency cap are shared with live
 * requests (and with other replicas through Redis) and serve everyone first come, first served. With one sync call
 * at a time, a live request waits behind at most one sync call for its account and API, and sync takes at most one
 * of the budget's slots, i.e. a fraction 1/qps of the account's rate, leaving the rest to queries. It costs sync
 * speed (a 90-day first backfill of an hourly source is 3 calls; of a 5-minute one, 3 as well), not live latency.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import { budgetKeyOf } from '../usage/call-budget.js'
import type { SourceConfig } from '../usage/source-adapter.js'

export class SyncSlots {
  private readonly slots = new Map<string, LimitFunction>()

  async run<T> (source: Pick<SourceConfig, 'kind' | 'credentials'>, work: () => Promise<T>): Promise<T> {
    const key = budgetKeyOf(source)
    let slot = this.slots.get(key)
    if (slot === undefined) {
      slot = pLimit(1)
      this.slots.set(key, slot)
    }
    return await slot(work)
  }
}
