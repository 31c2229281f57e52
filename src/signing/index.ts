export * from './percent-encode.js'
export * from './aliyun-rpc-signature.js'
export * from './aliyun-acs3-signature.js'
export * from './tencent-tc3-signature.js'
