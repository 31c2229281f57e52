/**
 * Download links of exactly the query on screen. The links are the real /usage URLs; when an API key is in use
 * a plain link cannot carry it, so the click fetches with the key and saves what came back.
 */
import { getBlob } from './api-client.js'
import { storedApiKey } from './api-key.js'
import { clear, element } from './dom.js'
import { usagePath } from './query-url.js'

const DOWNLOADS = [
  { format: 'csv', label: 'CSV', extension: 'csv', description: 'one row per point' },
  { format: 'rows', label: 'Rows JSON', extension: 'json', description: 'one object per point' },
  { format: 'focus', label: 'FOCUS CSV', extension: 'csv', description: 'FinOps FOCUS columns' },
  { format: 'json', label: 'JSON', extension: 'json', description: 'the answer as shown' }
]

export function renderDownloads (list, query, onError) {
  clear(list)
  for (const download of DOWNLOADS) {
    const path = usagePath(query, download.format)
    const filename = `usage-${download.format}.${download.extension}`
    const link = element('a', { href: path, download: filename, dataset: { format: download.format } }, download.label)
    link.addEventListener('click', async event => {
      if (storedApiKey() === null) return
      event.preventDefault()
      try {
        const url = URL.createObjectURL(await getBlob(path))
        const save = element('a', { href: url, download: filename })
        document.body.append(save)
        save.click()
        save.remove()
        setTimeout(() => URL.revokeObjectURL(url), 10_000)
      } catch (error) {
        onError(error)
      }
    })
    list.append(element('li', {}, link, element('span', { class: 'help' }, ` ${download.description}`)))
  }
}
