/** Calls to the public API (GET /usage, GET /usage/catalog), with the API key when one is stored. */
import { authorizationHeaders } from './api-key.js'

/** A non-2xx answer, with the service's error code and message when the body is the error shape. */
export class ApiError extends Error {
  constructor (status, code, message, details, requestId) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
    this.requestId = requestId
  }
}

export async function getJson (path, { signal } = {}) {
  const response = await fetch(path, { headers: { accept: 'application/json', ...authorizationHeaders() }, signal })
  const text = await response.text()
  let body = null
  try {
    body = JSON.parse(text)
  } catch {}
  if (response.ok && body !== null) return body
  const error = body?.error
  throw new ApiError(
    response.status,
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? (response.ok ? 'the answer is not JSON' : `${response.status} ${response.statusText}`),
    error?.details ?? null,
    error?.requestId ?? response.headers.get('x-request-id')
  )
}

/** The answer of a query as a file (CSV, rows, FOCUS), for downloads that must carry the key. */
export async function getBlob (path) {
  const response = await fetch(path, { headers: authorizationHeaders() })
  if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, `${response.status} ${response.statusText}`, null, null)
  return response.blob()
}
