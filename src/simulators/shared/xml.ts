// Provider facts: docs/providers/README.md#simulators
/**
 * The smallest XML writer that reproduces Alibaba's XML answers: objects become child elements, and an array
 * under key K becomes repeated <K> elements (Alibaba names the array key after its items, e.g. BillProducerDataItem).
 */

export function toXmlDocument (rootName: string, value: unknown): string {
  return `<?xml version='1.0' encoding='UTF-8'?>${element(rootName, value)}`
}

function element (name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map(item => element(name, item)).join('')
  if (value === null || value === undefined) return `<${name}/>`
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([childName, childValue]) => element(childName, childValue)).join('')
    return `<${name}>${children}</${name}>`
  }
  return `<${name}>${escapeText(String(value))}</${name}>`
}

function escapeText (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
