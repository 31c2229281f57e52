// Provider facts: docs/providers/signing.md#alibaba-rpc-hmac-sha1
import { createHmac } from 'node:crypto'
import { compareByteOrder } from './byte-order.js'
import { percentEncode } from './percent-encode.js'

/** Sorted by key (byte order), k=v&..., excluding 'Signature'. */
export function canonicalizeRpcParameters (parameters: Record<string, string>): string {
  // Sort the raw keys, not the encoded ones: encoding reorders e.g. '.' and '/', and the SDKs sort raw keys.
  return Object.keys(parameters)
    .filter(key => key !== 'Signature')
    .sort(compareByteOrder)
    .map(key => `${percentEncode(key)}=${percentEncode(parameters[key] ?? '')}`)
    .join('&')
}

export function rpcStringToSign (method: string, parameters: Record<string, string>): string {
  // The method is used verbatim (not uppercased) so the SDK's empty-method test vector stays reproducible.
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalizeRpcParameters(parameters))}`
}

/** HMAC-SHA1 "SignatureVersion 1.0"; returns the base64 value of the `Signature` parameter. */
export function signRpc (input: { method: string, parameters: Record<string, string>, accessKeySecret: string }): string {
  // The trailing '&' is where a token secret would go in the OAuth-like original scheme; Alibaba always leaves it empty.
  return createHmac('sha1', `${input.accessKeySecret}&`)
    .update(rpcStringToSign(input.method, input.parameters), 'utf8')
    .digest('base64')
}
