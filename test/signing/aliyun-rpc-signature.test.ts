import t from 'tap'
import { canonicalizeRpcParameters, rpcStringToSign, signRpc } from '../../src/signing/index.js'

// Official vector V1-a (Alibaba RPC mechanism doc, "固定参数示例").
const describeDedicatedHosts: Record<string, string> = {
  AccessKeyId: 'testid',
  Action: 'DescribeDedicatedHosts',
  Format: 'JSON',
  RegionId: 'cn-beijing',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
  SignatureVersion: '1.0',
  Timestamp: '2023-03-13T08:34:30Z',
  Version: '2014-05-26'
}

t.test('V1-a: canonical query, string to sign and signature for GET and POST', async t => {
  t.equal(canonicalizeRpcParameters(describeDedicatedHosts),
    'AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1' +
    '&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26')
  t.equal(rpcStringToSign('GET', describeDedicatedHosts),
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing' +
    '%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0' +
    '%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26')
  t.equal(signRpc({ method: 'GET', parameters: describeDedicatedHosts, accessKeySecret: 'testsecret' }), '9NaGiOspFP5UPcwX8Iwt2YJXXuk=')
  t.equal(signRpc({ method: 'POST', parameters: describeDedicatedHosts, accessKeySecret: 'testsecret' }), 'ZvQ9xGiFnquSJRvj+WE6kdSpTwU=')
})

t.test('V1-a: key order of the input and an existing Signature parameter do not matter', async t => {
  const shuffled = Object.fromEntries(Object.entries(describeDedicatedHosts).reverse())
  const withSignature = { ...shuffled, Signature: 'stale' }
  t.equal(signRpc({ method: 'GET', parameters: withSignature, accessKeySecret: 'testsecret' }), '9NaGiOspFP5UPcwX8Iwt2YJXXuk=')
})

t.test('V1-b: older ECS DescribeRegions vector', async t => {
  const parameters = {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26'
  }
  t.equal(signRpc({ method: 'GET', parameters, accessKeySecret: 'testsecret' }), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=')
})

t.test('darabonba getRPCSignature unit vector (empty method string)', async t => {
  t.equal(rpcStringToSign('', { test: 'ok' }), '&%2F&test%3Dok')
  t.equal(signRpc({ method: '', parameters: { test: 'ok' }, accessKeySecret: 'accessKeySecret' }), 'jHx/oHoHNrbVfhncHEvPdHXZwHU=')
})

t.test('raw keys are sorted before encoding', async t => {
  // '.' < '/' raw, but '%2F' < '.' once encoded: the raw order must win.
  t.equal(canonicalizeRpcParameters({ 'a/': '1', 'a.': '2' }), 'a.=2&a%2F=1')
})
