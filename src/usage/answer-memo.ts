/**
 * Rendered answers kept for the rest of the second they were computed in, while every upstream answer they
 * were made of is still the same cached entry. Within one second the service computes one answer per query
 * and upstream data (see run-usage-query: `now` is whole seconds), so serving the kept bytes is exactly what
 * recomputing would produce — without merging, formatting and serializing again for every dashboard refresh.
 */
import { LRUCache } from 'lru-cache'
import type { UpstreamPart } from './usage-query.js'

export interface RenderedAnswer {
  body: string
  contentType: string
  headers: Record<string, string>
  /** The answer's `complete`, whatever the format shows of it: what the answers counter counts a kept copy as. */
  complete: boolean
}

/** When the answer now cached for a source's call was fetched, or null when none is cached: the runtime knows. */
export type CachedAtOf = (part: Pick<UpstreamPart, 'source' | 'key'>) => number | null

interface MemoEntry extends RenderedAnswer {
  upstream: readonly UpstreamPart[]
}

export class AnswerMemo {
  private readonly entries: LRUCache<string, MemoEntry>

  constructor (maxBytes: number, private readonly cachedAtOf: CachedAtOf) {
    this.entries = new LRUCache<string, MemoEntry>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (entry, key) => entry.body.length * 2 + key.length * 2 + entry.upstream.length * 64 + 256
    })
  }

  /** The memo key: what was asked (without the deadline, which does not change a complete answer) and the second. */
  static keyOf (query: object, format: string, now: number): string {
    return JSON.stringify([query, format, Math.floor(now / 1000)])
  }

  get (key: string): RenderedAnswer | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (!entry.upstream.every(part => this.cachedAtOf(part) === part.cachedAt)) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  /**
   * Keeps an answer only when every upstream part came from the cache (an answer that called upstream says so
   * in sources[].calls, which a recomputation would not), so its freshness can be checked later against the
   * very cache entries it was made of. A call that failed (or that the deadline cut) was not answered by the cache,
   * so an answer missing any part is never kept: asked again, it is computed again.
   */
  set (key: string, upstream: readonly UpstreamPart[], rendered: RenderedAnswer): void {
    if (upstream.some(part => part.cachedAt === null)) return
    this.entries.set(key, { ...rendered, upstream })
  }
}
