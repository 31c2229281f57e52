/**
 * If-None-Match (RFC 9110 §13.1.2): true when the caller already holds this representation, so a 304 is the answer.
 * The comparison is weak, as the RFC asks for If-None-Match: `W/"x"` and `"x"` name the same data.
 */
export function matchesIfNoneMatch (header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const opaque = opaqueTagOf(entityTag)
  return header.split(',').some(candidate => opaqueTagOf(candidate.trim()) === opaque)
}

function opaqueTagOf (entityTag: string): string {
  return entityTag.replace(/^W\//, '')
}
