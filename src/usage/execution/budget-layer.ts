/**
 * Each attempt waits for the account's budget for the API (see call-budget.ts): a place among the calls in
 * flight, then a slot of the rate gate. Below the retry layer, so every retry pays for its own call.
 */
import type { Budget } from '../call-budget.js'
import type { CallLayer } from './call-layer.js'

/** `onWaited`: how long, in seconds, each attempt waited for its turn (for /metrics). */
export function budgetLayer (budget: Budget, onWaited?: (seconds: number) => void): CallLayer {
  return next => async (call, context) => {
    const askedAt = performance.now()
    return await budget.run(context.signal, async () => {
      onWaited?.((performance.now() - askedAt) / 1000)
      return await next(call, context)
    })
  }
}
