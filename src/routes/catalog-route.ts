/** GET /usage/catalog: what can be asked for, and from which configured sources. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { catalogResponseSchema, type CatalogResponse } from '../schemas/catalog-schema.js'
import { errorResponses, EVERY_ROUTE_ERRORS, jsonResponse } from '../schemas/response-documents.js'
import type { Catalog } from '../usage/catalog.js'
import type { RuntimeSource } from '../usage/source-executor.js'
import type { LedgerConnection } from '../ledger/ledger-connection.js'
import { withLedgerHoldings } from './catalog-ledger.js'

export interface CatalogRouteOptions {
  catalog: Catalog
  sources: readonly RuntimeSource[]
  /** What the usage ledger holds per source is read at each request; none when no ledger is kept. */
  ledger?: LedgerConnection | null
}

export const catalogRoute: FastifyPluginAsync<CatalogRouteOptions> = async (app, options) => {
  const catalog = catalogResponse(options.catalog, options.sources)
  app.withTypeProvider<ZodTypeProvider>().get('/usage/catalog', {
    schema: {
      tags: ['usage'],
      operationId: 'getUsageCatalog',
      summary: 'Metrics, dimensions, source kinds and configured sources',
      querystring: z.object({}).strict(),
      response: { 200: jsonResponse('The catalog of this deployment.', catalogResponseSchema), ...errorResponses([...EVERY_ROUTE_ERRORS, 'INVALID_QUERY', 'UNAUTHORIZED']) }
    }
  }, async () => await withLedgerHoldings(catalog, options.ledger ?? null))
}

/** The catalog as GET /usage/catalog answers it: what the registered kinds report, and the configured sources. */
export function catalogResponse (catalog: Catalog, sources: readonly RuntimeSource[]): CatalogResponse {
  const adapters = catalog.adapters
  return {
    metrics: catalog.metrics.map(metric => ({
      ...metric,
      reportedBy: adapters.flatMap(adapter => adapter.metrics
        .filter(mapping => mapping.metric === metric.name)
        .map(mapping => ({
          kind: adapter.kind,
          providerFields: [...mapping.providerFields],
          dimensions: [...mapping.dimensions],
          conversion: mapping.conversion,
          coverage: mapping.coverage
        })))
    })),
    dimensions: catalog.dimensions.map(dimension => ({ ...dimension })),
    kinds: adapters.map(adapter => ({
      kind: adapter.kind,
      provider: adapter.provider,
      title: adapter.title,
      nativeBuckets: adapter.nativeBuckets.kind === 'any'
        ? adapter.nativeBuckets.description
        : adapter.nativeBuckets.grids.map(grid => grid.label).join(' or '),
      maxSpanSeconds: adapter.limits.maxSpanMs / 1000,
      minSpanSeconds: adapter.limits.minSpanMs / 1000,
      lookbackDays: adapter.limits.lookbackMs / 86_400_000,
      defaultQps: adapter.limits.defaultQps,
      settleDelaySeconds: adapter.settleDelayMs / 1000,
      filterDimensions: [...adapter.filterDimensions]
    })),
    sources: sources.map(({ config, adapter }) => ({
      id: config.id,
      kind: config.kind,
      provider: adapter.provider,
      endpoint: new URL(config.endpoint).host,
      qps: config.qps,
      concurrency: config.concurrency,
      simulated: config.simulated,
      ledger: null
    })),
    ledger: { status: 'off', reason: null }
  }
}
