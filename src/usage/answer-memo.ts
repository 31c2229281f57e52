/**
 * Rendered answers kept for the rest of the second they were computed in, while every upstream answer they
 * were made of is still the same cached entry. Within one second the service computes one answer per query
 * and upstream data (see run-usage-query: `now` is whole seconds), so serving the kept bytes is exactly what
 * recomputing would produce — without merging, formatting and serializing again for every dashboard refresh.
 */
import { LRUCache } from 'lru-cache'
import type { UsageAnswer } from './usage-query.js'

export interface RenderedAnswer {
  body: string
  contentType: string
  headers: Record<string, string>
}

interface MemoEntry extends RenderedAnswer {
  dependencies: ReadonlyArray<{ executor: UsageAnswer['dependencies'][number]['executor'], key: string, cachedAt: number }>
}

export class AnswerMemo {
  private readonly entries: LRUCache<string, MemoEntry>

  constructor (maxBytes: number) {
    this.entries = new LRUCache<string, MemoEntry>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (entry, key) => entry.body.length * 2 + key.length * 2 + entry.dependencies.length * 64 + 256
    })
  }

  /** The memo key: what was asked (without the deadline, which does not change a complete answer) and the second. */
  static keyOf (query: object, format: 'json' | 'csv', now: number): string {
    return JSON.stringify([query, format, Math.floor(now / 1000)])
  }

  get (key: string): RenderedAnswer | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (!entry.dependencies.every(dependency => dependency.executor.cachedAt(dependency.key) === dependency.cachedAt)) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  /**
   * Keeps an answer only when it was made wholly from cached upstream answers (an answer that called upstream
   * says so in sources[].calls, which a recomputation would not) and those are still cached, so its freshness
   * can be checked later.
   */
  set (key: string, answer: UsageAnswer, rendered: RenderedAnswer): void {
    if (answer.sources.some(source => source.calls > 0)) return
    const dependencies = []
    for (const { executor, key: callKey } of answer.dependencies) {
      const cachedAt = executor.cachedAt(callKey)
      if (cachedAt === null) return
      dependencies.push({ executor, key: callKey, cachedAt })
    }
    this.entries.set(key, { ...rendered, dependencies })
  }
}
