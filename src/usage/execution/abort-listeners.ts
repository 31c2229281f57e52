/**
 * Many calls wait on one request's signal: a query makes thousands of calls to a kind without native buckets. Node's
 * EventTarget walks its whole listener list on every addEventListener and removeEventListener, so thousands of
 * listeners cost time quadratic in the calls. Here a signal gets one listener, and the callbacks sit in a Set.
 */
const callbacksBySignal = new WeakMap<AbortSignal, Set<() => void>>()

/** Calls `callback` once when `signal` aborts, unless the returned function was called first. */
export function onAbort (signal: AbortSignal, callback: () => void): () => void {
  let callbacks = callbacksBySignal.get(signal)
  if (callbacks === undefined) {
    const created = new Set<() => void>()
    callbacks = created
    callbacksBySignal.set(signal, created)
    signal.addEventListener('abort', () => {
      callbacksBySignal.delete(signal)
      for (const each of created) each()
    }, { once: true })
  }
  const registered = callbacks
  registered.add(callback)
  return () => { registered.delete(callback) }
}
