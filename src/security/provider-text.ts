/**
 * How much of a provider's own text (error messages, codes, request ids) the service keeps. A provider may
 * answer with megabytes of message; kept whole it would reach sources[], error bodies and logs. The cut never
 * falls inside a run of characters that could hold a secret (a secret cut in two would no longer be recognised
 * by the redactor, which runs later, when the text is reported): it moves back to the last separator.
 */

/** Characters kept of a provider's message, the note of what was cut included. */
export const MAX_PROVIDER_MESSAGE_CHARACTERS = 512
/** Characters kept of a provider's code or request id. */
export const MAX_PROVIDER_IDENTIFIER_CHARACTERS = 128

/**
 * Characters no secret, token or signature in any of its encodings contains (access key secrets are
 * alphanumeric, tokens and signatures base64 or hex, and their URL and JSON forms add only `%`, `\` and `"`).
 */
const SEPARATOR = /[\s&,;<>()[\]{}|]/

/** `text` whole when short enough, otherwise its start and a note of how many characters were cut. */
export function capProviderText (text: string, maxCharacters: number = MAX_PROVIDER_MESSAGE_CHARACTERS): string {
  if (text.length <= maxCharacters) return text
  // The note's length depends on the count it gives; the longest count it can give bounds it.
  let end = Math.max(0, maxCharacters - cutNote(text.length).length)
  while (end > 0 && !SEPARATOR.test(text[end - 1]!) && !SEPARATOR.test(text[end]!)) end--
  return text.slice(0, end) + cutNote(text.length - end)
}

function cutNote (cutCharacters: number): string {
  return `… (${cutCharacters} more characters cut)`
}
