// Provider facts: docs/providers/README.md#tencent-gateway
/**
 * Tencent Cloud API 3.0 common error codes the simulated gateway answers with (docs/providers/README.md#tencent-gateway),
 * and the one error body shape: HTTP 200 with `{"Response":{"Error":{"Code","Message"},"RequestId"}}`. Action handlers
 * bring their own codes.
 */

export const TENCENT_GATEWAY_ERRORS = {
  'AuthFailure.InvalidAuthorization': 'The Authorization header of the request is not a valid TC3-HMAC-SHA256 authorization.',
  'AuthFailure.SecretIdNotFound': 'The SecretId is not found, please ensure that your SecretId is correct.',
  'AuthFailure.SignatureExpire': 'Signature expired: X-TC-Timestamp differs from the server time by more than 5 minutes.',
  'AuthFailure.SignatureFailure': 'The provided credentials could not be validated. Please check your signature is correct.',
  'AuthFailure.TokenFailure': 'The provided X-TC-Token is invalid for this SecretId.',
  InternalError: 'An internal error has occurred. Retry your request, but if the problem persists, contact us.',
  InvalidAction: 'The requested action does not exist for this API version.',
  InvalidParameter: 'The request body is not a JSON object.',
  MissingParameter: 'A required common parameter is missing.',
  NoSuchVersion: 'The requested API version does not exist.',
  RequestLimitExceeded: 'Your request rate exceeds the frequency limit of this action for this SecretId. Please reduce the frequency of calls.',
  ServiceUnavailable: 'The service is temporarily unavailable. Please try again later.',
  UnsupportedProtocol: 'Only POST requests with an application/json body are supported.'
} as const satisfies Record<string, string>

export type TencentGatewayErrorCode = keyof typeof TENCENT_GATEWAY_ERRORS

export interface TencentError { code: string, message: string }

export function tencentGatewayError (code: TencentGatewayErrorCode, detail?: string): TencentError {
  return { code, message: detail === undefined ? TENCENT_GATEWAY_ERRORS[code] : `${TENCENT_GATEWAY_ERRORS[code]} (${detail})` }
}

export function tencentErrorBody (requestId: string, error: TencentError): { Response: { Error: { Code: string, Message: string }, RequestId: string } } {
  return { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } }
}
