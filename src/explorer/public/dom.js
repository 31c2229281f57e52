/** Small DOM helpers: elements built from data, never from HTML strings, so provider text cannot become markup. */

export function byId (id) {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`the page has no #${id}`)
  return found
}

/** element('td', { class: 'x', dataset: { total: '1' } }, 'text', child) */
export function element (tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'dataset') Object.assign(node.dataset, value)
    else if (name === 'onclick') node.addEventListener('click', value)
    else if (name === 'text') node.textContent = value
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child)
  }
  return node
}

export function clear (node) {
  node.replaceChildren()
  return node
}
