// Clients of the real `@aws-sdk/client-kms` (the package from npm, not ours), pointed at wasmkms
// either through our request handler or at an endpoint URL.
import { KMS, KMSClient } from "@aws-sdk/client-kms";

/**
 * realClient builds a real SDK client. `accessKeyId` names the account when it is 12 digits.
 * Pass `requestHandler` (in-process) or `endpoint` (a wasmkms HTTP endpoint); other members go to the
 * client's config as they are.
 */
export function realClient({
  accessKeyId = "AKIDWASMKMSTEST",
  secretAccessKey = "wasmkms-test-secret",
  region = "us-east-1",
  requestHandler,
  endpoint,
  aggregated = false,
  ...config
} = {}) {
  config = {
    ...config,
    region,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    ...(requestHandler ? { requestHandler } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
  return aggregated ? new KMS(config) : new KMSClient(config);
}
