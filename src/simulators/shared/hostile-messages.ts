// Provider facts: docs/providers/README.md#simulators
/**
 * Error messages a careful client must not pass on as they come: megabytes of text, and a provider (or a proxy in
 * front of it) echoing the caller's secret back while explaining a signature mismatch. Every gateway answers them
 * in its own error body, so every adapter's error mapping meets them.
 */
import { createHmac } from 'node:crypto'

/** The length of a 'huge-message' fault's message: far past any size the service keeps or buffers. */
export const HUGE_MESSAGE_CHARACTERS = 8 * 1024 * 1024
/** The huge message's first words, so a test can count how often the message reached an answer. */
export const HUGE_MESSAGE_MARKER = 'huge-message-start'

export function hugeMessage (): string {
  const filler = ' the request could not be processed because of a condition we describe at length.'
  return (HUGE_MESSAGE_MARKER + filler.repeat(Math.ceil(HUGE_MESSAGE_CHARACTERS / filler.length))).slice(0, HUGE_MESSAGE_CHARACTERS)
}

/**
 * The forms of `secret` a 'secret-echo' message carries: raw, percent-encoded with lower-case escapes, base64, a long
 * prefix (an echo cut short), and a signature computed with it, reported after "expected signature" as gateways do.
 */
export function secretEchoForms (secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()),
    Buffer.from(secret).toString('base64'),
    secret.slice(0, Math.max(12, secret.length - 4)),
    createHmac('sha256', secret).update('string to sign').digest('hex')
  ]
}

export function secretEchoMessage (secret: string): string {
  const [raw, escaped, base64, prefix, signature] = secretEchoForms(secret)
  return `The request signature we calculated does not match the signature you provided. We signed with ${raw} ` +
    `(query form AccessKeySecret%3D${escaped}), decoded ${base64}, key starting ${prefix}..., expected signature ${signature}`
}
