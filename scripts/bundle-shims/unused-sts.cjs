// Bundles alias @aws-sdk/client-sts to this file. Only aws-msk-iam-sasl-signer-js requires it, to
// log the caller's identity when given `awsDebugCreds`, which the controller never sets; the real
// client is 32 KB of every cold start. Anything that does reach it fails loudly.
class NotBundled {
  constructor() {
    throw new Error('@aws-sdk/client-sts is not in this bundle (scripts/bundle-shims/unused-sts.cjs)');
  }
}
module.exports = { STSClient: NotBundled, GetCallerIdentityCommand: NotBundled };
