/**
 * A parsed JSON body checked against the schema that documents it, then typed by it. The parsed JSON itself is
 * returned, not zod's copy, so a field the schema does not know is still there for a test to see.
 */
import type { z } from 'zod'

/** Fails with `what` (say the request, the status and the text) and zod's complaint when the body is not what the schema documents. */
export function checkedBody<Body> (schema: z.ZodType<Body>, what: string, json: unknown): Body {
  const checked = schema.safeParse(json)
  if (!checked.success) throw new Error(`${what}\n${checked.error.message}`)
  return json as Body
}
