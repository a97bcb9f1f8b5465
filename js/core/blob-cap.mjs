// How much of a blob member the SDK surface hands the module. Every blob member of AWS's model is
// bounded far below BLOB_CAP (the longest, a Recipient's AttestationDocument, at 262,144 bytes;
// test/node/hostile-input.test.mjs holds the model to that), and the service refuses a longer one by
// its length alone, with a message that does not show it. So a blob longer than BLOB_CAP goes as its
// first BLOB_CAP + 1 bytes: the answer is the same ValidationException, and a 130 MiB Plaintext is not
// copied into the module, which could not take it.

export const BLOB_CAP = 1024 * 1024;

/** The bytes of a blob member as they go to the module: at most BLOB_CAP + 1 of them. */
export function capBlob(bytes) {
  return bytes.length > BLOB_CAP ? bytes.subarray(0, BLOB_CAP + 1) : bytes;
}
