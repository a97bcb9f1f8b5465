// examples/demo.mjs (what ./build.sh demo runs) works and prints what it says it prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

test("examples/demo.mjs creates a key, encrypts, decrypts and prints the results", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const out = execFileSync(process.execPath, ["examples/demo.mjs"], { cwd: root, encoding: "utf8" });
  assert.match(out, /^key: +arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/m);
  assert.match(out, /^ciphertext: 162 bytes, base64 AQICAH/m);
  assert.match(out, /^decrypted: +"hello, KMS" with the same key$/m);
});
