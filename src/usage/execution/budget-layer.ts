/**
 * Each attempt waits for the account's budget for the API (see call-budget.ts): a place among the calls in
 * flight, then a slot of the rate gate. Below the retry layer, so every retry pays for its own call.
 */
import type { CallBudget } from '../call-budget.js'
import type { CallLayer } from './call-layer.js'

export function budgetLayer (budget: Pick<CallBudget, 'run'>): CallLayer {
  return next => async (call, context) => await budget.run(context.signal, async () => await next(call, context))
}
