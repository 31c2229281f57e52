// Provider facts: docs/providers/aliyun-live-grtn.md
/**
 * Live's documented errors for DescribeLiveGrtnDuration (docs/providers/aliyun-live-grtn.md#errors) and how each
 * is classified. The shared Alibaba mapper (aliyun-error.ts) classifies them all correctly but one: `OperationDenied`
 * (Live not activated, or suspended) is an account refusal, not a bad parameter, so it is raised here as an auth error.
 */
import { UpstreamError, type UpstreamErrorCode } from '../../errors.js'

/** The API page's error tables: code, HTTP status, message, and the class a caller should see. */
export const GRTN_DOCUMENTED_ERRORS: ReadonlyArray<{ code: string, status: number, message: string, expected: UpstreamErrorCode }> = [
  { code: 'InvalidStartTime.Malformed', status: 400, message: 'Specified StartTime is malformed.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidEndTime.Malformed', status: 400, message: 'Specified EndTime is malformed.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidTime.Malformed', status: 400, message: 'Specified StartTime or EndTime is malformed.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidAreaParameter', status: 400, message: 'The specified Area parameter is invalid.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidEndTime.Mismatch', status: 400, message: 'Specified end time does not math the specified start time.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidTimeSpan', status: 400, message: 'The time span exceeds the limit.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidTime.ValueNotSupported', status: 400, message: 'Specified Time is malformed.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidAppIdParameter', status: 400, message: 'The specified AppId parameter is invalid.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'InvalidParameterInterval', status: 400, message: 'Invalid Parameter Interval.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'IllegalOperation', status: 403, message: 'Illegal domain, operation is not permitted.', expected: 'UPSTREAM_PARAMETER' },
  { code: 'OperationDenied', status: 403, message: 'Your account does not open LIVE service yet.', expected: 'UPSTREAM_AUTH' },
  { code: 'OperationDenied', status: 403, message: 'Your LIVE service is suspended.', expected: 'UPSTREAM_AUTH' },
  // Live documents 503 for throttling; it is still throttling, retried with back-off, not a server error.
  { code: 'Throttling', status: 503, message: 'Request was denied due to request throttling.', expected: 'UPSTREAM_THROTTLED' }
]

const ACCOUNT_REFUSALS = new Set(['OperationDenied'])

/** Re-raises an account refusal as UPSTREAM_AUTH, keeping the provider code, request id and status; anything else as it is. */
export function classifyGrtnError (error: unknown): unknown {
  if (!(error instanceof UpstreamError) || error.providerCode === null) return error
  if (!ACCOUNT_REFUSALS.has(error.providerCode) || error.code === 'UPSTREAM_AUTH') return error
  return new UpstreamError('UPSTREAM_AUTH', error.message, {
    providerCode: error.providerCode,
    requestId: error.requestId,
    httpStatus: error.httpStatus,
    retryAfterMs: error.retryAfterMs,
    cause: error
  })
}
