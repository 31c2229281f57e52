/** If-None-Match (RFC 9110 §13.1.2): true when the caller already holds this representation, so a 304 is the answer. */
export function matchesIfNoneMatch (header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  // Weak comparison, as the RFC asks for If-None-Match: W/"x" matches "x".
  return header.split(',').some(candidate => candidate.trim().replace(/^W\//, '') === entityTag)
}
