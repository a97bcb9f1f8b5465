// Over the endpoint, a request signed for a Region that is not AWS's gets what AWS answers to a
// credential scoped to it (InvalidSignatureException, naming the Region), from the real SDK's point of
// view; serve({ allowAnyRegion: true }) and `wasmkms serve --allow-any-region` take any Region name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, KMSServiceException, ListKeysCommand } from "@aws-sdk/client-kms";
import { createWorld, serve } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";
import { startEndpointProcess } from "./lib/endpoint-process.mjs";

async function started(t, options) {
  const endpoint = await serve(options);
  t.after(() => endpoint.close());
  return endpoint;
}

test("the real SDK in a Region AWS does not have gets AWS's answer", async (t) => {
  const endpoint = await started(t, { world: createWorld() });
  for (const region of ["mars-1", "us-east", "cn-south-1"]) {
    const error = await realClient({ endpoint: endpoint.url, region, maxAttempts: 1 })
      .send(new ListKeysCommand({}))
      .then(
        () => assert.fail(`ListKeys in ${region} was answered`),
        (e) => e,
      );
    assert.ok(error instanceof KMSServiceException, String(error));
    assert.equal(error.name, "InvalidSignatureException");
    assert.equal(error.message, `Credential should be scoped to a valid region, not '${region}'. `);
    assert.equal(error.$metadata.httpStatusCode, 400);
  }
  // A real Region of every partition is served.
  const { KeyMetadata } = await realClient({ endpoint: endpoint.url, region: "us-gov-east-1" }).send(
    new CreateKeyCommand({}),
  );
  assert.match(KeyMetadata.Arn, /^arn:aws-us-gov:kms:us-gov-east-1:/);
});

test("serve({ allowAnyRegion: true }) takes any Region name", async (t) => {
  const endpoint = await started(t, { allowAnyRegion: true });
  const kms = realClient({ endpoint: endpoint.url, region: "local" });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:local:/);
  assert.deepEqual(
    (await kms.send(new ListKeysCommand({}))).Keys.map((k) => k.KeyId),
    [KeyMetadata.KeyId],
  );
  await assert.rejects(serve({ world: createWorld(), allowAnyRegion: true }), {
    name: "TypeError",
    message: /allowAnyRegion make the world it serves/,
  });
});

test("wasmkms serve --allow-any-region", async (t) => {
  const child = await startEndpointProcess(["--allow-any-region"]);
  t.after(() => child.kill("SIGKILL"));
  assert.match(child.output(), /any Region name/);
  const { KeyMetadata } = await realClient({ endpoint: child.url, region: "mars-1" }).send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:mars-1:/);
  assert.equal((await child.kill("SIGTERM")).code, 0);
});
