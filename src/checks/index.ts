// Public API of the checks library: pure functions of a stored SiteScan (no I/O).
export * from './types';
export { REMARK_TYPES, REMARKS, remarkKey, findRemark, remarkByName, remark } from './remarks';
export type { RemarkDefinition, RemarkType } from './remarks';
export {
  DMARC_POLICIES,
  DMARC_POLICY_ID,
  SPF_POLICIES,
  SPF_POLICY_ID,
  EMAIL_PROVIDERS,
  EMAIL_PROVIDER_ID,
  DNS_PROVIDERS,
  DNS_PROVIDER_ID,
  letterGrade,
} from './tables';
export type { DmarcPolicyRow, SpfPolicyRow, ProviderRow, ProviderMatch } from './tables';
export { processSite, gradeSite, msdcOf } from './site';
export { emailProviderId, dnsProviderId } from './providers';
export { evaluateSpf, isSpfRecord } from './spf';
export type { SpfEvaluation } from './spf';
export { classifyAlgorithm, classifyDigestType, keyTag, dsDigest, dnskeyRdata } from './dnssec';
