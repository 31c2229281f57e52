// Provider facts: docs/providers/aliyun-live-grtn.md
/**
 * Pure: how a query's app and area grouping and filters become DescribeLiveGrtnDuration calls.
 * - Apps: `AppId` takes at most 30 ids and, without it, all apps come back aggregated. An `app` filter sends its
 *   values; grouping by app sends the configured app ids; either way in chunks of 30, each record naming its app.
 *   Neither: no AppId, one call per window, every app counted.
 * - Areas: `Area` filters to one area. An `area` filter makes one call per value as given; grouping by area makes one
 *   call per configured area (default CN and OverSeas: disjoint, and together everything). Neither: no Area.
 * Values are de-duplicated: the same app or area asked twice would be counted twice. For the same reason a filter
 * naming OverSeas and a regional area inside it (AP1, ...) asks for OverSeas only, unless the query groups by area
 * (then each is its own series and nothing is added up across them).
 */
import type { CallVariant, PushdownQuery } from '../../usage/source-adapter.js'
import { GRTN_REGIONAL_AREAS, MAX_APP_IDS_PER_CALL } from './grtn-api.js'

/**
 * One call's request parameters as lists and values, turned into the API's comma list only when the request is built.
 * A type, not an interface: the spec requires plain JSON data, which only a type alias is checked against.
 */
export type GrtnCallParameters = {
  /** The RegionId common parameter. */
  regionId: string
  /** The one area asked for, or absent for every area. */
  area?: string
  /** At most MAX_APP_IDS_PER_CALL app ids, or absent for all apps aggregated into one answer. */
  appIds?: string[]
}

export interface GrtnVariantSettings {
  regionId: string
  appIds: readonly string[]
  areas: readonly string[]
}

export function grtnVariants (query: PushdownQuery, settings: GrtnVariantSettings): Array<CallVariant<GrtnCallParameters>> {
  const appValues = query.filters.app ?? (query.groupBy.includes('app') ? settings.appIds : undefined)
  const areaValues = query.filters.area ?? (query.groupBy.includes('area') ? settings.areas : undefined)
  // No configured app ids to group by: the call asks for all apps, whose usage then appears with app unknown.
  const appChunks: Array<string[] | null> = appValues !== undefined && appValues.length > 0
    ? chunks(unique(appValues), MAX_APP_IDS_PER_CALL)
    : [null]
  const areas: Array<string | null> = areaValues !== undefined && areaValues.length > 0
    ? withoutSubsumedAreas(unique(areaValues), query.groupBy.includes('area'))
    : [null]

  const variants: Array<CallVariant<GrtnCallParameters>> = []
  for (const area of areas) {
    for (const apps of appChunks) {
      const parameters: GrtnCallParameters = { regionId: settings.regionId }
      if (area !== null) parameters.area = area
      if (apps !== null) parameters.appIds = apps
      variants.push({ parameters, dimensions: area === null ? {} : { area } })
    }
  }
  return variants
}

/** The API's request parameters for a call's variant: the app ids become the comma list `AppId` takes. */
export function grtnRequestParameters (parameters: GrtnCallParameters): Record<string, string> {
  const request: Record<string, string> = { RegionId: parameters.regionId }
  if (parameters.area !== undefined) request.Area = parameters.area
  if (parameters.appIds !== undefined) request.AppId = parameters.appIds.join(',')
  return request
}

/** Regional areas are parts of OverSeas: asked beside it and summed, their usage would count twice. */
function withoutSubsumedAreas (areas: string[], groupedByArea: boolean): string[] {
  if (groupedByArea || !areas.includes('OverSeas')) return areas
  return areas.filter(area => !(GRTN_REGIONAL_AREAS as readonly string[]).includes(area))
}

function unique (values: readonly string[]): string[] {
  return [...new Set(values)]
}

function chunks<T> (values: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let index = 0; index < values.length; index += size) result.push(values.slice(index, index + size))
  return result
}
