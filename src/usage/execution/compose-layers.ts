import type { CallHandler, CallLayer } from './call-layer.js'

/** The layers around `terminal`, the first listed outermost: it sees every call first and every answer last. */
export function composeLayers (layers: readonly CallLayer[], terminal: CallHandler): CallHandler {
  return layers.reduceRight<CallHandler>((next, layer) => layer(next), terminal)
}
