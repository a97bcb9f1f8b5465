// The real @aws-sdk/client-kms configured with a FIPS pseudo-Region, through our request handler: the SDK
// resolves `us-east-1-fips` to us-east-1 with the FIPS endpoint and signs for us-east-1, so it sees the
// keys a us-east-1 client made, as the package's own KMSClient does (test/node/fips-regions.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { createRequestHandler, createWorld } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";

test("the real SDK with us-east-1-fips sees us-east-1's keys", async () => {
  const requestHandler = createRequestHandler({ world: createWorld() });
  const { KeyMetadata } = await realClient({ requestHandler }).send(new CreateKeyCommand({}));
  for (const region of ["us-east-1-fips", "fips-us-east-1"]) {
    const fips = realClient({ requestHandler, region });
    assert.equal(await fips.config.region(), "us-east-1");
    assert.equal(await fips.config.useFipsEndpoint(), true);
    const described = await fips.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }));
    assert.equal(described.KeyMetadata.Arn, KeyMetadata.Arn);
  }
});
