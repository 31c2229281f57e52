/**
 * The zod registry yields every named schema twice, as read (`…Input`) and as written: the document keeps only
 * the components something refers to, so a client generator meets no dead types.
 */
import type { SwaggerTransformObject } from '@fastify/swagger'

type OpenApiDocument = ReturnType<SwaggerTransformObject>
interface WithSchemas { components?: { schemas?: Record<string, unknown> } }

export function withoutUnreferencedSchemas (document: OpenApiDocument): OpenApiDocument {
  const schemas = (document as WithSchemas).components?.schemas
  if (schemas === undefined) return document
  const { components, ...rest } = document as WithSchemas
  const reachable = new Set<string>()
  const pending = referencedSchemas(rest)
  while (pending.length > 0) {
    const name = pending.pop() as string
    if (reachable.has(name)) continue
    reachable.add(name)
    pending.push(...referencedSchemas(schemas[name]))
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => reachable.has(name)))
  return { ...document, components: { ...components, schemas: kept } } as OpenApiDocument
}

function referencedSchemas (value: unknown): string[] {
  const names: string[] = []
  JSON.stringify(value, (key, nested: unknown) => {
    if (key === '$ref' && typeof nested === 'string' && nested.startsWith('#/components/schemas/')) {
      names.push(decodeURIComponent(nested.slice('#/components/schemas/'.length)))
    }
    return nested
  })
  return names
}
