/**
 * The usage explorer in real headless Chromium, against the real service in front of the simulated providers:
 * what the page shows must be what GET /usage answers, bucket states included, and its URL must hold the query.
 * Timings are measured and printed (not asserted): the page interactive, and a 10 000-point answer drawn.
 */
import { readFile } from 'node:fs/promises'
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { findAdapter } from '../../src/providers/registry.js'
import { ApiKeySet, sha256 } from '../../src/security/api-keys.js'
import { SIMULATOR_STARTERS, type SimulatedKind } from '../../src/simulators/index.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { artifactPath, launchBrowser, skipWithoutChromium } from '../support/browser.js'
import { startTestService } from '../support/test-service.js'

/** What the page publishes on window.usageExplorer for these tests (src/explorer/public/main.js). */
interface ExplorerProgress {
  /** Of the last answer drawn; empty before the first. */
  timings: { fetchMs?: number, renderMs?: number, points?: number }
  interactiveMs: number | null
  drawn?: Array<{ unit: string, series: Array<{ label: string, values: Array<number | null> }> }>
}
declare global {
  interface Window { usageExplorer: ExplorerProgress }
}

const simulatedSource = (id: string, kind: SimulatedKind) => ({ id, adapter: findAdapter(kind)!, startSimulator: SIMULATOR_STARTERS[kind] })
const ALL_FOUR = () => [
  simulatedSource('studio', 'aliyun.live-producer'),
  simulatedSource('grtn', 'aliyun.live-grtn'),
  simulatedSource('ims', 'aliyun.ims'),
  simulatedSource('mps', 'tencent.mps')
]

if (!skipWithoutChromium(t)) {
  const browser = await launchBrowser(t)
  // The deployment default is Shanghai, where every simulated source aligns on days: the default view is complete.
  const service = await startTestService(t, ALL_FOUR(), { queryDefaults: { zone: 'Asia/Shanghai', granularity: 'day' } })

  async function openPage (t: Test, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, acceptDownloads: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    watchScriptErrors(page)
    watchScriptErrors(page)
    await page.goto(service.url + path)
    return page
  }

  const scriptErrors = new WeakMap<Page, string[]>()
  function watchScriptErrors (page: Page): void {
    const problems: string[] = []
    scriptErrors.set(page, problems)
    page.on('pageerror', error => problems.push(`page error: ${error.message}`))
    page.on('console', message => { if (message.type() === 'error') problems.push(`console: ${message.text()}`) })
  }
  /** Called at the end of each test: nothing the page ran threw or logged an error (a 401 it expects aside). */
  function noScriptErrors (t: Test, page: Page, expected: RegExp | null = null): void {
    t.same((scriptErrors.get(page) ?? []).filter(problem => expected === null || !expected.test(problem)), [], 'no script errors in the page')
  }

  const settled = (page: Page) => page.waitForFunction(() => ['done', 'error', 'cancelled', 'needs-key'].includes(document.documentElement.dataset.state ?? ''))
  /** Waits until the page's URL names this zone and its answer is shown. */
  const shownInZone = (page: Page, zone: string) => page.waitForFunction(zone => new URL(location.href).searchParams.get('tz') === zone && document.documentElement.dataset.state === 'done', zone)
  const pageState = (page: Page) => page.evaluate(() => document.documentElement.dataset.state)
  /** The /usage query string the page's URL holds (its own `chart` removed). */
  const usageQueryOf = (page: Page) => {
    const parameters = new URL(page.url()).searchParams
    parameters.delete('chart')
    return parameters.toString()
  }

  /** What the page shows, read back from the DOM. */
  async function shown (page: Page) {
    return page.evaluate(() => ({
      complete: document.getElementById('badge-complete')!.textContent,
      final: document.getElementById('badge-final')!.textContent,
      totals: [...document.querySelectorAll('#totals tbody tr')].map(row => ({
        label: row.querySelector('th')!.textContent,
        total: (row.querySelector('[data-total]') as HTMLElement).dataset.total,
        partialTotal: (row.querySelector('[data-total]') as HTMLElement).dataset.partialTotal ?? null,
        text: row.querySelector('[data-total]')!.textContent
      })),
      sources: [...document.querySelectorAll('#sources tbody tr')].map(row => ({
        id: (row as HTMLElement).dataset.source,
        status: (row as HTMLElement).dataset.status,
        text: row.textContent
      })),
      warnings: [...document.querySelectorAll('#warnings li')].map(item => ({
        type: (item as HTMLElement).dataset.type,
        source: (item as HTMLElement).dataset.source,
        zones: [...item.querySelectorAll('button[data-zone]')].map(button => (button as HTMLElement).dataset.zone)
      })),
      charts: [...document.querySelectorAll('figure.chart')].map(figure => ({
        unit: (figure as HTMLElement).dataset.unit!,
        series: (figure as HTMLElement).dataset.series!,
        incompleteBuckets: (figure as HTMLElement).dataset.incompleteBuckets!,
        missingBuckets: (figure as HTMLElement).dataset.missingBuckets!,
        // Pixels actually painted on the chart's canvas: a chart that drew nothing has none.
        painted: (() => {
          const canvas = figure.querySelector('canvas')!
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
          let count = 0
          for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) count++
          return count
        })()
      })),
      drawn: window.usageExplorer.drawn,
      form: {
        from: (document.getElementById('from') as HTMLInputElement).value,
        to: (document.getElementById('to') as HTMLInputElement).value,
        tz: (document.getElementById('tz') as HTMLInputElement).value,
        granularity: (document.getElementById('granularity') as HTMLSelectElement).value
      }
    }))
  }

  /** The page's totals and sources equal the answer's, series by series and source by source. */
  function matchesAnswer (t: Test, view: Awaited<ReturnType<typeof shown>>, answer: UsageResponse) {
    t.same(view.totals.map(row => row.total), answer.series.map(series => String(series.total)), 'each series total as the JSON answer has it (null as null)')
    t.same(view.totals.filter(row => row.total === 'null').map(row => row.partialTotal),
      answer.series.filter(series => series.total === null).map(series => String(series.partialTotal)), 'the partial sums of null totals')
    t.same(view.sources.map(source => [source.id, source.status]), answer.sources.map(source => [source.id, source.status]), 'every source with its status')
    t.same(view.warnings.map(warning => [warning.type, warning.source]), answer.warnings.map(warning => [warning.type, warning.source ?? '']), 'every warning')
    t.equal(view.complete, answer.complete ? 'complete' : 'incomplete')
    t.equal(view.final, answer.final ? 'final' : 'not final')
    const units = [...new Set(answer.series.map(series => series.unit))]
    t.same(view.charts.map(chart => chart.unit), units, 'one chart per unit')
    for (const chart of view.charts) {
      t.ok(chart.painted > 1000, `the ${chart.unit} chart is drawn (${chart.painted} pixels painted)`)
      const ofUnit = answer.series.filter(series => series.unit === chart.unit)
      t.equal(Number(chart.series), ofUnit.length, `${chart.unit}: every series drawn`)
      const incomplete = ofUnit[0]!.points.filter((_, index) => ofUnit.some(series => series.points[index]!.state === 'incomplete')).length
      t.equal(Number(chart.incompleteBuckets), incomplete, `${chart.unit}: incomplete buckets marked`)
      const missing = ofUnit[0]!.points.filter((_, index) => ofUnit.some(series => series.points[index]!.value === null)).length
      t.equal(Number(chart.missingBuckets), missing, `${chart.unit}: buckets without a value marked`)
    }
    // What uPlot was given: a gap wherever the answer has null, and a value wherever it has one.
    t.ok(view.drawn, 'the page says what it gave uPlot')
    for (const drawn of view.drawn ?? []) {
      const ofUnit = answer.series.filter(series => series.unit === drawn.unit)
      const gapsExpected = ofUnit.map(series => series.points.map(point => point.value === null))
      const gapsDrawn = ofUnit.map((_, index) => {
        const label = view.totals[answer.series.indexOf(ofUnit[index]!)]!.label
        return drawn.series.find(series => series.label === label)!.values.map(value => value === null)
      })
      t.same(gapsDrawn, gapsExpected, `${drawn.unit}: null is a gap, never drawn as 0`)
    }
  }

  t.test('the default view: the deployment zone, every source, totals equal to the JSON answer, downloads of the same numbers', async t => {
    const page = await openPage(t, '/')
    await settled(page)
    t.equal(await pageState(page), 'done')
    const timing = () => page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      return { interactiveMs: window.usageExplorer.interactiveMs, domContentLoadedMs: navigation.domContentLoadedEventEnd, answeredMs: performance.now() }
    })
    const report = (when: string, measured: Awaited<ReturnType<typeof timing>>) => t.comment(`explorer timing (loopback, ${when}): ` +
      `form interactive ${measured.interactiveMs?.toFixed(0)} ms after navigation start (DOMContentLoaded ${measured.domContentLoadedMs.toFixed(0)} ms); ` +
      `default query shown by ${measured.answeredMs.toFixed(0)} ms`)
    report('first page of a fresh browser', await timing())
    const view = await shown(page)
    t.same(view.form, { from: 'now-7d/d', to: 'now/d', tz: 'Asia/Shanghai', granularity: 'day' }, 'the form starts at the deployment defaults')
    const query = usageQueryOf(page)
    t.match(query, /tz=Asia%2FShanghai/, 'the URL holds the whole query, zone included')
    const answer = (await service.getUsage(`/usage?${query}`)).json
    t.equal(answer.complete, true)
    t.equal(answer.sources.length, 4)
    matchesAnswer(t, view, answer)
    t.same(view.sources.filter(source => !/simulated/.test(source.text ?? '')), [], 'sources say they are simulated')
    await page.screenshot({ path: artifactPath('explorer-default.png'), fullPage: true })
    await page.reload()
    await settled(page)
    report('reload, files revalidated by ETag', await timing())
    // What the README shows (docs/explorer.png is a copy): the form, the first chart and the start of the tables.
    await page.screenshot({ path: artifactPath('explorer-readme.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1240 } })

    const links = await page.$$eval('#downloads a[data-format]', anchors => anchors.map(anchor => [(anchor as HTMLElement).dataset.format, anchor.getAttribute('href')]))
    const hrefOf = (format: string) => links.find(([name]) => name === format)![1]!
    t.same(links.map(([format]) => format), ['csv', 'rows', 'focus', 'json'])
    for (const [format, href] of links) t.equal(href, `/usage?${query}&format=${format}`, `${format}: exactly the query on screen`)
    const totalsByMetric = Object.fromEntries(answer.series.map(series => [series.metric, series.partialTotal]))
    const sumBy = (rows: Array<Record<string, unknown>>, metricKey: string, valueKey: string) => {
      const sums: Record<string, number | null> = Object.fromEntries(answer.series.map(series => [series.metric, null]))
      for (const row of rows) {
        const value = row[valueKey]
        if (value === null || value === '') continue
        sums[row[metricKey] as string] = (sums[row[metricKey] as string] ?? 0) + Number(value)
      }
      return sums
    }
    const rows = (await service.get(hrefOf('rows'))).json as Array<Record<string, unknown>>
    t.same(sumBy(rows, 'metric', 'value'), totalsByMetric, 'rows JSON: the same numbers')
    t.same(sumBy(parseCsv((await service.get(hrefOf('csv'))).text), 'metric', 'value'), totalsByMetric, 'CSV: the same numbers')
    t.same(sumBy(parseCsv((await service.get(hrefOf('focus'))).text), 'x_Metric', 'ConsumedQuantity'), totalsByMetric, 'FOCUS: the same numbers')
    noScriptErrors(t, page)
  })

  t.test('a zone that leaves a source unaligned: the warning in plain words, and its suggested zone fixes it in one click', async t => {
    const page = await openPage(t, '/')
    await settled(page)
    await page.fill('#tz', 'America/Los_Angeles')
    await page.click('#run')
    await shownInZone(page, 'America/Los_Angeles')
    const unaligned = await shown(page)
    const answer = (await service.getUsage(`/usage?${usageQueryOf(page)}`)).json
    matchesAnswer(t, unaligned, answer)
    const warning = unaligned.warnings.find(entry => entry.type === 'unaligned' && entry.source === 'mps')
    t.ok(warning?.zones.includes('Asia/Shanghai'), 'Shanghai offered as a fix', { warning })
    t.match(await page.textContent('#warnings li[data-source=mps] .warning-words'), /cannot fill these buckets exactly/)
    t.equal(unaligned.complete, 'incomplete')

    await page.click('#warnings li[data-source=mps] button[data-zone="Asia/Shanghai"]')
    await shownInZone(page, 'Asia/Shanghai')
    const fixed = await shown(page)
    t.equal(fixed.form.tz, 'Asia/Shanghai', 'the form shows the zone chosen')
    t.equal(fixed.complete, 'complete')
    t.same(fixed.warnings, [])

    // Back and forward move between the queries, and the page follows: form, URL and answer.
    await page.goBack()
    await shownInZone(page, 'America/Los_Angeles')
    const back = await shown(page)
    t.equal(back.form.tz, 'America/Los_Angeles', 'back: the previous zone in the form')
    t.ok(back.warnings.some(entry => entry.source === 'mps'), 'back: the previous answer, warning included', { found: back.warnings })
    await page.goForward()
    await shownInZone(page, 'Asia/Shanghai')
    t.equal((await shown(page)).complete, 'complete', 'forward: the fixed query again')
    noScriptErrors(t, page)
  })

  t.test('the URL round-trips every part of the query, through a reload', async t => {
    const path = '/?from=2026-11-10&to=2026-11-12&granularity=hour&tz=Asia%2FShanghai&metrics=costreaming.duration%2Cstudio.output.duration&groupBy=source%2Ctier&source=grtn%2Cstudio&chart=lines'
    const page = await openPage(t, path)
    await settled(page)
    t.equal(await pageState(page), 'done')
    const expected = new URL(service.url + path).searchParams
    const first = await page.evaluate(() => ({
      metrics: [...document.querySelectorAll('input[name=metric]:checked')].map(box => (box as HTMLInputElement).value),
      groupBy: [...document.querySelectorAll('input[name=group]:checked')].map(box => (box as HTMLInputElement).value),
      filters: [...document.querySelectorAll('.filter-row')].map(row => [(row.querySelector('select') as HTMLSelectElement).value, (row.querySelector('input') as HTMLInputElement).value]),
      chart: (document.getElementById('chart-kind') as HTMLSelectElement).value
    }))
    first.metrics.sort()
    t.same(first, { metrics: ['costreaming.duration', 'studio.output.duration'], groupBy: ['source', 'tier'], filters: [['source', 'grtn,studio']], chart: 'lines' })
    t.same(Object.fromEntries(new URL(page.url()).searchParams), Object.fromEntries(expected), 'the page keeps the URL it was given')
    const answer = (await service.getUsage(`/usage?${usageQueryOf(page)}`)).json
    matchesAnswer(t, await shown(page), answer)
    t.same([...new Set(answer.series.map(series => series.dimensions.source))].sort(), ['grtn', 'studio'], 'the filter reached the service')

    await page.reload()
    await settled(page)
    t.same(Object.fromEntries(new URL(page.url()).searchParams), Object.fromEntries(expected), 'after a reload: the same URL')
    matchesAnswer(t, await shown(page), answer)
    noScriptErrors(t, page)
  })

  t.test('a source failing for part of the range: incomplete marks, the error, and null totals with the partial sum', async t => {
    const failing = await startTestService(t, [simulatedSource('studio', 'aliyun.live-producer')], { cache: false })
    // 61 days: two calls of at most 31 days; the first call the simulator receives fails.
    failing.simulators.studio!.faults.inject({ kind: 'server-error', status: 500 })
    const path = '/?from=2026-09-01&to=2026-11-01&granularity=day&tz=UTC'
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    t.teardown(() => context.close())
    const page = await context.newPage()
    watchScriptErrors(page)
    await page.goto(failing.url + path)
    await settled(page)
    const view = await shown(page)
    failing.simulators.studio!.faults.inject({ kind: 'server-error', status: 500 })
    const answer = (await failing.getUsage(`/usage?${usageQueryOf(page)}`)).json
    t.equal(answer.complete, false)
    matchesAnswer(t, view, answer)
    t.same(view.charts.filter(chart => !(Number(chart.incompleteBuckets) > 0)), [], 'incomplete buckets marked on every chart')
    t.same(view.totals.filter(row => !(row.total === 'null' && /partial sum/.test(row.text ?? ''))), [], 'totals: null, with the partial sum named')
    t.match(view.sources, [{ id: 'studio', status: 'partial', text: /UPSTREAM|500|Internal/i }], 'the source shows its error')
    await page.screenshot({ path: artifactPath('explorer-incomplete.png'), fullPage: true })
    noScriptErrors(t, page)
  })

  t.test('a long query shows progress and can be cancelled', async t => {
    const slow = await startTestService(t, [simulatedSource('studio', 'aliyun.live-producer')], { cache: false })
    const context = await browser.newContext()
    t.teardown(() => context.close())
    const page = await context.newPage()
    watchScriptErrors(page)
    slow.simulators.studio!.faults.inject({ kind: 'slow', delayMs: 2_000 }, 4)
    await page.goto(slow.url + '/?from=2026-11-01&to=2026-11-03&tz=UTC')
    await page.waitForFunction(() => document.documentElement.dataset.state === 'loading')
    t.equal(await page.isVisible('#progress progress'), true, 'progress shown while waiting')
    t.equal(await page.isEnabled('#cancel'), true)
    await page.click('#cancel')
    await settled(page)
    t.equal(await pageState(page), 'cancelled')
    t.match(await page.textContent('#status'), /^Cancelled after /)
    t.equal(await page.isEnabled('#cancel'), false)
    t.equal(await page.isVisible('#progress'), false)
    noScriptErrors(t, page)
  })

  t.test('with API keys configured: the page is public, asks for a key, keeps it in sessionStorage only and sends it', async t => {
    const key = 'explorer-test-key-0123456789'
    const keyed = await startTestService(t, [simulatedSource('studio', 'aliyun.live-producer')], { apiKeys: new ApiKeySet([sha256(key)]) })
    t.equal((await keyed.get('/')).status, 200, 'the page needs no key')
    t.equal((await keyed.get('/explorer/main.js')).status, 200, 'nor its files')
    t.equal((await keyed.get('/explorer/vendor/uPlot.esm.js')).status, 200)
    t.equal((await keyed.get('/usage/catalog')).status, 401, 'the data calls do')
    const context = await browser.newContext({ acceptDownloads: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    watchScriptErrors(page)
    await page.goto(keyed.url + '/?from=2026-11-01&to=2026-11-08&tz=UTC')
    await settled(page)
    t.equal(await pageState(page), 'needs-key')
    t.equal(await page.isVisible('#key-panel'), true)
    await page.fill('#api-key', 'not-the-key-at-all-000')
    await page.click('#key-form button[type=submit]')
    await page.waitForFunction(() => /not accepted/.test(document.getElementById('key-reason')!.textContent ?? ''))
    t.pass('a wrong key is refused and asked for again')
    await page.fill('#api-key', key)
    await page.click('#key-form button[type=submit]')
    await page.waitForFunction(() => document.documentElement.dataset.state === 'done')
    const storage = await page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage }, cookie: document.cookie }))
    t.same(storage, { session: { 'usage-explorer.api-key': key }, local: {}, cookie: '' }, 'the key is in sessionStorage and nowhere else')
    t.notMatch(page.url(), key, 'never in the URL')
    const answer = (await keyed.getUsage(`/usage?${usageQueryOf(page)}`, { authorization: `Bearer ${key}` })).json
    matchesAnswer(t, await shown(page), answer)

    // A download with a key cannot be a plain link: the page fetches with the key and saves the file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a[data-format=csv]')])
    const saved = await download.path()
    const direct = await keyed.get(`/usage?${usageQueryOf(page)}&format=csv`, { authorization: `Bearer ${key}` })
    t.equal(await readFile(saved, 'utf8'), direct.text, 'the CSV downloaded with the key is the answer')

    // A new tab of the same browser session still has it only if sessionStorage was copied: a reload keeps it.
    await page.reload()
    await settled(page)
    t.equal(await pageState(page), 'done', 'a reload in the same tab keeps the key')
    noScriptErrors(t, page, /401/)
  })

  t.test('360 px wide: everything fits, nothing scrolls sideways', async t => {
    const page = await openPage(t, '/', { width: 360, height: 780 })
    await settled(page)
    t.equal(await pageState(page), 'done')
    const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, charts: [...document.querySelectorAll('figure.chart canvas')].map(canvas => canvas.getBoundingClientRect().right) }))
    t.ok(widths.document <= 360, `page width ${widths.document} px`)
    t.same(widths.charts.filter(right => !(right <= 360)), [], `charts end within the screen: ${widths.charts.join(', ')}`)
    await page.screenshot({ path: artifactPath('explorer-360px.png'), fullPage: true })
    await page.screenshot({ path: artifactPath('explorer-360px-top.png') })
    await page.evaluate(() => document.getElementById('badge-complete')!.scrollIntoView())
    await page.screenshot({ path: artifactPath('explorer-360px-results.png') })
    noScriptErrors(t, page)
  })

  t.test('keyboard and labels: every control is named, a focused chart reads its buckets out exactly', async t => {
    const page = await openPage(t, '/')
    await settled(page)
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button, textarea')]
      .filter(control => !(control as HTMLElement).closest('[hidden]'))
      .filter(control => {
        const labelled = (control as HTMLInputElement).labels?.length ?? 0
        return labelled === 0 && !control.getAttribute('aria-label') && (control.textContent ?? '').trim() === ''
      })
      .map(control => control.outerHTML.slice(0, 120)))
    t.same(unnamed, [], 'no control without a label')
    const answer = (await service.getUsage(`/usage?${usageQueryOf(page)}`)).json
    await page.focus('figure.chart[data-unit=second]')
    await page.keyboard.press('End')
    const tooltip = await page.textContent('#tooltip')
    t.equal(await page.isVisible('#tooltip'), true, 'the tooltip follows the keyboard')
    const durations = answer.series.filter(series => series.unit === 'second')
    const last = durations[0]!.points.at(-1)!
    t.match(tooltip, `${last.start} → ${last.end}`, 'the bucket, as the answer names it')
    const formatExact = (value: number) => `${new Intl.NumberFormat('en-US').format(value)} s`
    for (const series of durations) {
      const point = series.points.at(-1)!
      t.match(tooltip, `${series.metric}: ${formatExact(point.value!)}`, `${series.metric}: the exact seconds`)
    }
    t.match(tooltip, /provisional/, 'and the bucket state')
    // The form is usable from the keyboard: Enter in a field runs the query.
    await page.fill('#tz', 'Asia/Tokyo')
    await page.press('#tz', 'Enter')
    await shownInZone(page, 'Asia/Tokyo')
    t.pass('Enter submits')
    noScriptErrors(t, page)
  })

  t.test('the page modules that format numbers and hold the query, run in the browser', async t => {
    const page = await openPage(t, '/')
    await settled(page)
    const results = await page.evaluate(async () => {
      const units = await import('/explorer/units.js' as string)
      const queryUrl = await import('/explorer/query-url.js' as string)
      const search = '?from=2026-11-01&to=now%2B1d%2Fd&granularity=hour&tz=America%2FNew_York&metrics=a.b%2Cc.d&groupBy=tier&region=ap-guangzhou%2Cap-beijing&chart=lines'
      const query = queryUrl.queryFromSearch(search, { tz: 'UTC', granularity: 'day' })
      return {
        durations: [45_000, 90, 59, 0, 3600, 1_000_000_007].map(units.formatDuration),
        values: [units.formatValue(45_000, 'second'), units.formatValue(45, 'second'), units.formatValue(1234, 'count'), units.formatValue(null, 'second')],
        query,
        roundTrip: queryUrl.pageSearch(query),
        usage: queryUrl.usagePath(query, 'csv'),
        defaults: queryUrl.queryFromSearch('', { tz: 'Asia/Shanghai', granularity: 'month' })
      }
    })
    t.same(results.durations, ['12 h 30 min', '1 min 30 s', '59 s', '0 s', '1 h', '277,777 h 46 min 47 s'])
    t.same(results.values, ['45,000 s (12 h 30 min)', '45 s', '1,234', 'no value'])
    t.same(results.query, { from: '2026-11-01', to: 'now+1d/d', granularity: 'hour', tz: 'America/New_York', metrics: ['a.b', 'c.d'], groupBy: ['tier'], filters: { region: ['ap-guangzhou', 'ap-beijing'] }, chart: 'lines' })
    t.equal(results.roundTrip, '?from=2026-11-01&to=now%2B1d%2Fd&granularity=hour&tz=America%2FNew_York&metrics=a.b%2Cc.d&groupBy=tier&region=ap-guangzhou%2Cap-beijing&chart=lines')
    t.equal(results.usage, '/usage?from=2026-11-01&to=now%2B1d%2Fd&granularity=hour&tz=America%2FNew_York&metrics=a.b%2Cc.d&groupBy=tier&region=ap-guangzhou%2Cap-beijing&format=csv')
    t.same(results.defaults, { from: 'now-7d/d', to: 'now/d', granularity: 'month', tz: 'Asia/Shanghai', metrics: [], groupBy: [], filters: {}, chart: 'bars' })
    noScriptErrors(t, page)
  })

  t.test('ledger buckets: a column only when the deployment keeps a ledger', async t => {
    const page = await openPage(t, '/')
    await settled(page)
    t.equal(await page.locator('#sources th', { hasText: 'Ledger buckets' }).count(), 0, 'not without a ledger (this service keeps none)')
    const answer = (await service.getUsage(`/usage?${usageQueryOf(page)}`)).json
    const catalog = await (await fetch(service.url + '/usage/catalog')).json() as Record<string, unknown>
    const withLedger = { ...answer, sources: answer.sources.map((source, index) => ({ ...source, ledgerBuckets: index * 24 })) }
    // A deployment with a ledger, as the page learns it: the catalog's ledger state, then answers counting its buckets.
    await page.route('**/usage/catalog', route => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...catalog, ledger: { status: 'connected', reason: null } }) }))
    await page.route('**/usage?*', route => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(withLedger) }))
    await page.reload()
    await settled(page)
    await page.waitForFunction(() => document.documentElement.dataset.state === 'done' && document.querySelector('#sources thead')?.textContent?.includes('Ledger buckets'))
    const cells = await page.$$eval('#sources tbody tr', rows => rows.map(row => row.querySelectorAll('td')[2]!.textContent))
    t.same(cells, answer.sources.map((_, index) => String(index * 24)))
    noScriptErrors(t, page)
  })

  t.test('a query the service refuses: its error, naming the parameter, and no stale answer', async t => {
    const page = await openPage(t, '/')
    await settled(page)
    await page.fill('#tz', 'Mars/Olympus_Mons')
    await page.click('#run')
    await page.waitForFunction(() => document.documentElement.dataset.state === 'error')
    t.match(await page.textContent('#error'), /INVALID_QUERY[\s\S]*tz: unknown time zone 'Mars\/Olympus_Mons'/)
    t.equal(await page.isVisible('#answer'), false, 'the previous answer is not left on screen as if it were this one')
    noScriptErrors(t, page, /400/)
  })

  t.test('the docs page links to the explorer, and the explorer to the docs', async t => {
    const page = await openPage(t, '/docs/')
    await page.click('a.explorer-link')
    await page.waitForURL(url => new URL(url).pathname === '/')
    await settled(page)
    t.equal(await pageState(page), 'done')
    await page.click('a[href="/docs/"]')
    await page.waitForURL(url => new URL(url).pathname === '/docs/')
    t.pass('round trip between the two pages')
    noScriptErrors(t, page)
  })

  t.test('drawing a 10 000-point answer (measured, not asserted)', async t => {
    const page = await openPage(t, '/?from=2026-11-01&to=2026-11-03&granularity=hour&tz=UTC&chart=bars')
    await settled(page)
    const big = syntheticAnswer(10, 1000)
    await page.route('**/usage?*', route => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(big) }))
    for (const chart of ['bars', 'lines']) {
      await page.selectOption('#chart-kind', chart)
      await page.click('#run')
      await page.waitForFunction(points => document.documentElement.dataset.state === 'done' && window.usageExplorer.timings.points === points, 10_000)
      const timings = await page.evaluate(() => window.usageExplorer.timings)
      t.equal(timings.points, 10_000)
      t.comment(`explorer timing: ${timings.points} points (${chart}) drawn in ${timings.renderMs?.toFixed(0)} ms (answer parsed in ${timings.fetchMs?.toFixed(0)} ms)`)
    }
    const view = await shown(page)
    t.equal(view.charts.length, 2, 'seconds and counts, one chart each')
    t.same(view.charts.filter(chart => !(chart.painted > 1000)), [])
    noScriptErrors(t, page)
  })
}

/** 10 series × 1000 hourly buckets, half durations and half counts, with some provisional, incomplete and null points. */
function syntheticAnswer (seriesCount: number, buckets: number): UsageResponse {
  const start = Date.parse('2026-09-01T00:00:00Z')
  const iso = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z')
  const series = Array.from({ length: seriesCount }, (_, index) => {
    const points = Array.from({ length: buckets }, (_, bucket) => {
      const incomplete = bucket % 97 === 5
      return {
        start: iso(start + bucket * 3_600_000),
        end: iso(start + (bucket + 1) * 3_600_000),
        value: incomplete && index % 2 === 0 ? null : ((bucket * 7919 + index * 104_729) % 5000),
        state: (incomplete ? 'incomplete' : bucket >= buckets - 24 ? 'provisional' : 'final') as 'incomplete' | 'provisional' | 'final'
      }
    })
    return { metric: index % 2 === 0 ? 'transcode.duration' : 'snapshot.count', unit: (index % 2 === 0 ? 'second' : 'count') as 'second' | 'count', dimensions: { source: `source-${index}` }, points, total: null, partialTotal: points.reduce((sum, point) => sum + (point.value ?? 0), 0) }
  })
  return { from: iso(start), to: iso(start + buckets * 3_600_000), granularity: 'hour', tz: 'UTC', complete: false, final: false, series, sources: [], warnings: [], cacheAgeSeconds: null }
}

/** RFC 4180 as this service writes it: CRLF line ends; cells here hold no commas or quotes (no dimension columns). */
function parseCsv (text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.replace(/\r\n$/, '').split('\r\n')
  const names = header!.split(',')
  return lines.map(line => Object.fromEntries(line.split(',').map((cell, index) => [names[index]!, cell])))
}
