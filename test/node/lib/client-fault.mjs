// Asserting a KMS client fault as the package throws it, for the node suite.
import assert from "node:assert/strict";
import { KMSServiceException } from "wasmkms";

// Asserts that err is the package's exception class `Class` (`message` says otherwise), a
// KMSServiceException named so, a client fault answered with HTTP 400.
export function assertClientFault(err, Class, message) {
  assert.ok(err instanceof Class, message);
  assert.ok(err instanceof KMSServiceException);
  assert.equal(err.name, Class.name);
  assert.equal(err.$fault, "client");
  assert.equal(err.$metadata.httpStatusCode, 400);
}
