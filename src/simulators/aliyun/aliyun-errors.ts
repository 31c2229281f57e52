// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * The POP gateway's own error codes, statuses and messages (docs/providers/README.md#alibaba-gateway), and the
 * error body every Alibaba product answers with. Action handlers bring their own codes and messages.
 */

export const ALIYUN_GATEWAY_ERRORS = {
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to Aliyun standards.' },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  SignatureDoesNotMatch: { status: 400, message: 'Specified signature is not matched with our calculation.' },
  InvalidSignatureMethod: { status: 400, message: 'Specified signature method is not supported.' },
  'InvalidTimeStamp.Format': { status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  MissingSecurityToken: { status: 400, message: 'SecurityToken is mandatory for this action.' },
  'InvalidSecurityToken.Mismatch': { status: 400, message: 'Specified SecurityToken mismatch with the AccessKey.' },
  MissingParameter: { status: 400, message: 'The input parameter "Action" or "Version" that is mandatory for processing this request is not supplied.' },
  InvalidVersion: { status: 400, message: 'Specified parameter Version is not valid.' },
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  UnsupportedHTTPMethod: { status: 400, message: 'This http method is not supported.' },
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' },
  InternalError: { status: 500, message: 'The request processing has failed due to some unknown error, exception or failure.' },
  ServiceUnavailable: { status: 503, message: 'The request has failed due to a temporary failure of the server.' }
} as const satisfies Record<string, { status: number, message: string }>

export type AliyunGatewayErrorCode = keyof typeof ALIYUN_GATEWAY_ERRORS

export interface AliyunError { status: number, code: string, message: string }

export function gatewayError (code: AliyunGatewayErrorCode): AliyunError {
  return { code, ...ALIYUN_GATEWAY_ERRORS[code] }
}

export function aliyunErrorBody (options: { product: string, requestId: string, code: string, message: string }): Record<string, string> {
  const { product, requestId, code, message } = options
  return {
    RequestId: requestId,
    HostId: `${product}.aliyuncs.com`,
    Code: code,
    Message: message,
    Recommend: `https://api.alibabacloud.com/troubleshoot?q=${encodeURIComponent(code)}&product=${encodeURIComponent(product)}&requestId=${requestId}`
  }
}
