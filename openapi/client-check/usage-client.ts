/**
 * What a consumer writes against types generated from openapi/openapi.json (openapi-typescript) with openapi-fetch.
 * test/openapi/generated-client.test.ts generates ./usage-api.d.ts from the checked-in document and type-checks this
 * file: the calls a client should be able to make compile, and each line under `@ts-expect-error` must be refused
 * by the types (the test also checks each of them without its directive).
 */
import createClient from 'openapi-fetch'
import type { components, operations, paths } from './usage-api.js'

const client = createClient<paths, 'application/json'>({ baseUrl: 'http://localhost:3000' })
const csvClient = createClient<paths, 'text/csv'>({ baseUrl: 'http://localhost:3000' })

type UsageResponse = components['schemas']['UsageResponse']
type UsageRow = components['schemas']['UsageRow']

export async function lastWeekByDay (): Promise<number | null> {
  const { data, error } = await client.GET('/usage', {
    params: { query: { from: 'now-7d/d', to: 'now/d', granularity: 'day', tz: 'Asia/Shanghai', strict: true, timeout: 30, groupBy: 'tier' } }
  })
  if (error !== undefined) return errorCode(error.error.code)
  // application/json is UsageResponse for format=json and UsageRows for format=rows: an array tells them apart.
  if (Array.isArray(data)) return null
  const answer: UsageResponse = data
  const point: components['schemas']['UsagePoint'] | undefined = answer.series[0]?.points[0]
  const status: 'ok' | 'partial' | 'failed' | 'unaligned' | 'out_of_range' | undefined = answer.sources[0]?.status
  const safeToInvoice: boolean = answer.final
  return status === undefined || !safeToInvoice ? null : point?.value ?? null
}

export async function rowsForADashboard (): Promise<Array<{ at: string, value: number | null, provider: unknown }>> {
  const { data } = await client.GET('/usage', { params: { query: { from: '1793491200000', to: '1794096000000', format: 'rows', groupBy: 'provider' } } })
  if (data === undefined || !Array.isArray(data)) return []
  const rows: UsageRow[] = data
  return rows.map(row => {
    const state: 'final' | 'provisional' | 'incomplete' = row.state
    return { at: `${row.start} (${state})`, value: row.value, provider: row.provider }
  })
}

export async function asCsv (): Promise<string | undefined> {
  const { data } = await csvClient.GET('/usage', { params: { query: { from: '2026-11-01', to: '2026-11-03', format: 'focus' } }, parseAs: 'text' })
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
  // @ts-expect-error format is json, csv, rows or focus
  await client.GET('/usage', { params: { query: { from: 'now-7d', to: 'now', format: 'xml' } } })
  // @ts-expect-error strict is a boolean, not text
  await client.GET('/usage', { params: { query: { from: 'now-7d', to: 'now', strict: 'yes' } } })
  // @ts-expect-error from and to are required
  await client.GET('/usage', { params: { query: { granularity: 'day' } } })
  // @ts-expect-error no such route
  await client.GET('/usages', {})
}

export function refusedReads (answer: UsageResponse, row: UsageRow): void {
  // @ts-expect-error the JSON answer is not a list of rows: its series are
  answer.map(entry => entry)
  // @ts-expect-error a value is a number or null, never text
  const text: string = row.value
  // @ts-expect-error a point's state is final, provisional or incomplete
  const unknownState: typeof row.state = 'settled'
  console.log(text, unknownState)
}

function errorCode (code: components['schemas']['ErrorResponse']['error']['code']): null {
  // @ts-expect-error error codes are the registry's
  const unknown: typeof code = 'NOT_A_CODE'
  return unknown === code ? null : null
}

/** Operations are named: a consumer can refer to them by operationId. */
export type UsageOperations = [operations['getUsage'], operations['getUsageCatalog'], operations['getHealth'], operations['getReadiness'], operations['getMetrics']]
