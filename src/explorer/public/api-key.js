/**
 * The API key, when the service asks for one: kept in this tab's sessionStorage only (gone when the tab closes,
 * never in localStorage, a cookie or the URL) and sent as Authorization: Bearer.
 */
const STORAGE_KEY = 'usage-explorer.api-key'

export function storedApiKey () {
  try {
    return sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export function storeApiKey (key) {
  sessionStorage.setItem(STORAGE_KEY, key)
}

export function forgetApiKey () {
  sessionStorage.removeItem(STORAGE_KEY)
}

export function authorizationHeaders () {
  const key = storedApiKey()
  return key === null ? {} : { authorization: `Bearer ${key}` }
}
