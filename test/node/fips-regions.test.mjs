// A client configured with a FIPS pseudo-Region (`us-east-1-fips`, `fips-us-east-1`): the JS SDK takes it
// as its Region with useFipsEndpoint (kms-fips.us-east-1.amazonaws.com, signed for us-east-1), and AWS's
// FIPS endpoint is KMS of that Region. So the client sees the Region's keys, and its ARNs name the Region;
// a pseudo-Region of a Region AWS does not have is refused before sending, as any such Region is.
import { test } from "node:test";
import assert from "node:assert/strict";

import { KMSClient, CreateKeyCommand, DescribeKeyCommand, EncryptCommand, DecryptCommand, createWorld } from "wasmkms";

const utf8 = (s) => new TextEncoder().encode(s);

test("us-east-1-fips and fips-us-east-1 call us-east-1: the same keys, both ways", async () => {
  const world = createWorld();
  const plain = new KMSClient({ region: "us-east-1", world });
  const { KeyMetadata } = await new KMSClient({ region: "us-east-1-fips", world }).send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:us-east-1:111122223333:key\//);
  assert.deepEqual((await plain.send(new DescribeKeyCommand({ KeyId: KeyMetadata.KeyId }))).KeyMetadata, KeyMetadata);

  for (const region of ["us-east-1-fips", "fips-us-east-1", async () => "us-east-1-fips"]) {
    const fips = new KMSClient({ region, world });
    const { CiphertextBlob, KeyId } = await fips.send(
      new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: utf8("through the FIPS endpoint") }),
    );
    assert.equal(KeyId, KeyMetadata.Arn);
    const { Plaintext } = await plain.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(new TextDecoder().decode(Plaintext), "through the FIPS endpoint");
  }
  // The journal, as CloudTrail, has the calls in us-east-1.
  assert.deepEqual(new Set((await world.calls()).map((c) => c.region)), new Set(["us-east-1"]));
});

test("a GovCloud FIPS pseudo-Region calls its Region, with aws-us-gov ARNs", async () => {
  const client = new KMSClient({ region: "us-gov-west-1-fips", world: createWorld() });
  const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /^arn:aws-us-gov:kms:us-gov-west-1:111122223333:key\//);
});

test("the FIPS pseudo-Region of a Region AWS does not have is refused before sending", async () => {
  const world = createWorld();
  await assert.rejects(new KMSClient({ region: "fips-mars-1", world }).send(new CreateKeyCommand({})), {
    name: "Error",
    message:
      'Region not accepted: region="fips-mars-1" is the FIPS pseudo-Region of mars-1, which is not an AWS Region (partition aws), so KMS has no endpoint there; a world with allowAnyRegion accepts any Region name.',
  });
  assert.deepEqual(await world.calls(), []);
});

test("config.region() and config.useFipsEndpoint() answer as the real SDK's client does", async () => {
  const { KMSClient: RealKMSClient } = await import("@aws-sdk/client-kms");
  const credentials = { accessKeyId: "AKIDWASMKMSTEST", secretAccessKey: "x" };
  for (const region of [
    "us-east-1-fips",
    "fips-us-east-1",
    "fips-aws-global",
    "aws-fips",
    "eu-west-1",
    async () => "fips-us-west-2",
  ]) {
    const ours = new KMSClient({ region, world: createWorld() });
    const real = new RealKMSClient({ region, credentials });
    assert.equal(await ours.config.region(), await real.config.region(), String(region));
    assert.equal(await ours.config.useFipsEndpoint(), await real.config.useFipsEndpoint(), String(region));
  }
});
