/**
 * A provider answering with megabytes of error message: the answer stays small, the message is kept once
 * (in the failing source's entry, not again in warnings), and the note says how much was cut.
 */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { mpsAdapter } from '../../src/providers/tencent-mps/mps-adapter.js'
import { captureLogs } from '../support/log-capture.js'
import { scriptedUpstream } from '../support/scripted-upstream.js'
import { startTestService } from '../support/test-service.js'

const EIGHT_MIB = 8 * 1024 * 1024
const MARKER = 'message-start-marker'
const hugeMessage = `${MARKER} ${'the parameter you gave is not one we know. '.repeat(Math.ceil(EIGHT_MIB / 43))}`.slice(0, EIGHT_MIB)

const logs = captureLogs({ level: 'info' })
const service = await startTestService(t, [
  {
    id: 'tencent-huge',
    adapter: mpsAdapter,
    // Tencent reports business errors with HTTP 200, so this body is read whole (2xx bodies may be large).
    startSimulator: scriptedUpstream(() => ({
      status: 200,
      body: JSON.stringify({ Response: { Error: { Code: 'InvalidParameter', Message: hugeMessage }, RequestId: 'req-huge-1' } })
    }))
  },
  {
    id: 'aliyun-huge',
    adapter: liveProducerAdapter,
    startSimulator: scriptedUpstream(() => ({
      status: 400,
      body: JSON.stringify({ RequestId: 'req-huge-2', Code: 'InvalidParameter', Message: hugeMessage })
    }))
  }
], { logger: logs.logger, cache: false })

const RANGE = 'from=2026-11-01&to=2026-11-03&tz=Asia/Shanghai'
const LIMIT = 64 * 1024
const occurrences = (text: string, part: string) => text.split(part).length - 1

t.test('an 8 MiB provider message in a 200 answer: the answer stays small and holds the message once', async t => {
  const answer = await service.getUsage(`/usage?${RANGE}&source=tencent-huge`)
  t.equal(answer.status, 200, answer.text.slice(0, 300))
  t.ok(answer.text.length < LIMIT, `answer of ${answer.text.length} bytes`)
  const error = answer.json.sources[0]?.error
  if (!error) throw new Error(`the source reports no error: ${answer.text.slice(0, 300)}`)
  t.equal(error.code, 'UPSTREAM_PARAMETER', 'still classified by its code')
  t.equal(error.providerCode, 'InvalidParameter')
  t.match(error.message, /^InvalidParameter: message-start-marker the parameter/)
  const cut = Number(/… \((\d+) more characters cut\)$/.exec(error.message)?.[1])
  t.equal(error.message.length - `… (${cut} more characters cut)`.length + cut, `InvalidParameter: ${hugeMessage}`.length, 'the note counts what was cut')
  t.ok(error.message.length <= 512, 'at most 512 characters kept')
  t.equal(occurrences(answer.text, MARKER), 1, 'the message appears once')
  const warning = answer.json.warnings.find(item => item.type === 'source_failed')
  t.match(warning, { source: 'tencent-huge', message: /UPSTREAM_PARAMETER.*sources\[\]/ }, 'the warning refers to the error')

  const strict = await service.getError(`/usage?${RANGE}&source=tencent-huge&strict=true`)
  t.equal(strict.status, 502)
  t.ok(strict.text.length < LIMIT, `strict error body of ${strict.text.length} bytes`)
  t.equal(occurrences(strict.text, MARKER), 1, 'once in the strict error body too')
})

t.test('an 8 MiB error body: only its start is read, the status classifies it', async t => {
  const answer = await service.getUsage(`/usage?${RANGE}&source=aliyun-huge`)
  t.equal(answer.status, 200)
  t.ok(answer.text.length < LIMIT, `answer of ${answer.text.length} bytes`)
  t.equal(answer.json.sources[0]?.error?.code, 'UPSTREAM_PARAMETER')
  t.ok(occurrences(answer.text, MARKER) <= 1)
})

t.test('no log line carries the message at length', async t => {
  t.ok(logs.lines.length > 0)
  const longest = Math.max(...logs.lines.map(line => line.length))
  t.ok(longest < LIMIT, `longest log line ${longest} characters`)
})
