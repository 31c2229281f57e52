/**
 * What a consumer writes against types generated from openapi/openapi.json (openapi-typescript) with openapi-fetch.
 * scripts/check-openapi-client.sh generates ./usage-api.d.ts and type-checks this file: the calls a client
 * should be able to make compile, and each `@ts-expect-error` line compiles only while the document refuses it.
 */
import createClient from 'openapi-fetch'
import type { components, operations, paths } from './usage-api.js'

const client = createClient<paths, 'application/json'>({ baseUrl: 'http://localhost:3000' })
const csvClient = createClient<paths, 'text/csv'>({ baseUrl: 'http://localhost:3000' })

export async function lastWeekByDay (): Promise<number | null> {
  const { data, error } = await client.GET('/usage', {
    params: { query: { from: 'now-7d/d', to: 'now/d', granularity: 'day', tz: 'Asia/Shanghai', strict: true, timeout: 30, groupBy: 'tier' } }
  })
  if (error !== undefined) return errorCode(error.error.code)
  const point: components['schemas']['UsagePoint'] | undefined = data.series[0]?.points[0]
  const status: 'ok' | 'partial' | 'failed' | 'unaligned' | 'out_of_range' | undefined = data.sources[0]?.status
  return status === undefined ? null : point?.value ?? null
}

export async function asCsv (): Promise<string | undefined> {
  const { data } = await csvClient.GET('/usage', { params: { query: { from: '2026-11-01', to: '2026-11-03', format: 'csv' } }, parseAs: 'text' })
  const text: string | undefined = data
  return text
}

export async function catalogMetrics (): Promise<string[]> {
  const { data } = await client.GET('/usage/catalog')
  return data?.metrics.map(metric => `${metric.name} (${metric.unit})`) ?? []
}

export async function refusedCalls (): Promise<void> {
  // @ts-expect-error granularity is hour, day or month
  await client.GET('/usage', { params: { query: { from: 'now-7d', to: 'now', granularity: 'week' } } })
  // @ts-expect-error format is json or csv
  await client.GET('/usage', { params: { query: { from: 'now-7d', to: 'now', format: 'xml' } } })
  // @ts-expect-error strict is a boolean, not text
  await client.GET('/usage', { params: { query: { from: 'now-7d', to: 'now', strict: 'yes' } } })
  // @ts-expect-error from and to are required
  await client.GET('/usage', { params: { query: { granularity: 'day' } } })
  // @ts-expect-error no such route
  await client.GET('/usages', {})
}

function errorCode (code: components['schemas']['ErrorResponse']['error']['code']): null {
  // @ts-expect-error error codes are the registry's
  const unknown: typeof code = 'NOT_A_CODE'
  return unknown === code ? null : null
}

/** Operations are named: a consumer can refer to them by operationId. */
export type UsageOperations = [operations['getUsage'], operations['getUsageCatalog'], operations['getHealth'], operations['getReadiness'], operations['getMetrics']]
