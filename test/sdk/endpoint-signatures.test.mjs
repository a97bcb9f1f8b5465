// serve({ credentials }) checks SigV4 as AWS does: the real SDK signing with a known key gets through;
// a wrong secret, an unknown key, a missing signature, a changed body, a stale clock, an unsigned
// X-Amz-Target or a scope for another service get AWS's answers, and none of them reaches the world.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, KMSServiceException, ListKeysCommand } from "@aws-sdk/client-kms";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac } from "node:crypto";
import { createWorld, serve } from "./lib/wasmkms.mjs";
import { realClient } from "./lib/real-sdk.mjs";
import { startEndpointProcess } from "./lib/endpoint-process.mjs";

const KEY = { accessKeyId: "444455556666", secretAccessKey: "wasmkms/right+secret" };
const OTHER_KEY = { accessKeyId: "AKIDWASMKMSOTHER", secretAccessKey: "another-secret" };
const BAD_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

// The hash SignatureV4 takes: SHA-256, or HMAC-SHA-256 when given a secret.
class Sha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

let world, endpoint;
before(async () => {
  world = createWorld();
  endpoint = await serve({ world, credentials: [KEY, OTHER_KEY] });
});
after(() => endpoint.close());

const keyCount = async () =>
  JSON.parse((await world.call({ account: KEY.accessKeyId }, "TrentService.ListKeys", "{}")).body).Keys.length;

function client(credentials, config = {}) {
  return realClient({ ...credentials, endpoint: endpoint.url, ...config });
}

async function refusal(promise) {
  const error = await promise.then(
    () => assert.fail("the request was accepted"),
    (e) => e,
  );
  assert.ok(error instanceof KMSServiceException, String(error));
  assert.equal(error.$metadata.httpStatusCode, 400);
  return { name: error.name, message: error.message };
}

test("requests signed with a known key are answered, as that key's account", async () => {
  const { KeyMetadata } = await client(KEY).send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:us-east-1:444455556666:key\//);
  const other = await client(OTHER_KEY).send(new ListKeysCommand({}));
  assert.deepEqual(other.Keys, []); // the default account: another account than 444455556666
});

test("a wrong secret is an InvalidSignatureException; an unknown key an UnrecognizedClientException", async () => {
  const before = await keyCount();
  assert.deepEqual(await refusal(client({ ...KEY, secretAccessKey: "wrong" }).send(new CreateKeyCommand({}))), {
    name: "InvalidSignatureException",
    message: BAD_SIGNATURE,
  });
  assert.deepEqual(
    await refusal(client({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" }).send(new CreateKeyCommand({}))),
    {
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    },
  );
  assert.equal(await keyCount(), before);
});

test("a clock more than 5 minutes off is refused", async () => {
  const before = await keyCount();
  const late = await refusal(client(KEY, { systemClockOffset: -10 * 60 * 1000 }).send(new CreateKeyCommand({})));
  assert.equal(late.name, "InvalidSignatureException");
  assert.match(
    late.message,
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
  );
  const early = await refusal(client(KEY, { systemClockOffset: 10 * 60 * 1000 }).send(new CreateKeyCommand({})));
  assert.match(
    early.message,
    /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
  );
  assert.equal(await keyCount(), before);
});

test("a body changed after signing, and an unsigned request, are refused", async () => {
  const before = await keyCount();
  const url = new URL(endpoint.url);
  const signer = new SignatureV4({ credentials: KEY, region: "us-east-1", service: "kms", sha256: Sha256 });
  const body = JSON.stringify({ Description: "signed" });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.CreateKey" },
    body,
  });
  const send = (headers, sentBody) =>
    fetch(endpoint.url, { method: "POST", headers, body: sentBody }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));

  const tampered = await send(signed.headers, JSON.stringify({ Description: "changed" }));
  assert.deepEqual(tampered, { status: 400, body: { __type: "InvalidSignatureException", message: BAD_SIGNATURE } });
  const { authorization, ...unsignedHeaders } = signed.headers;
  assert.ok(authorization);
  const unsigned = await send(unsignedHeaders, body);
  assert.deepEqual(unsigned, {
    status: 400,
    body: { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" },
  });
  assert.equal(await keyCount(), before);

  // The same signed request, unchanged, gets through: the refusals above were for the changes alone.
  const accepted = await send(signed.headers, body);
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(await keyCount(), before + 1);
});

// A request signed by hand (the SDK's own signer), for the requests no SDK would send; sent with fetch.
async function signedRequest({ target, body, service = "kms", unsignableHeaders }) {
  const url = new URL(endpoint.url);
  const signer = new SignatureV4({ credentials: KEY, region: "us-east-1", service, sha256: Sha256 });
  const request = {
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body,
  };
  return (await signer.sign(request, { unsignableHeaders })).headers;
}

async function sendRaw(headers, body) {
  const response = await fetch(endpoint.url, { method: "POST", headers, body });
  return { status: response.status, body: await response.json() };
}

test("an X-Amz-Target left out of the signature is refused: a signed DescribeKey cannot be sent as DisableKey", async () => {
  const { KeyMetadata } = await client(KEY).send(new CreateKeyCommand({}));
  const body = JSON.stringify({ KeyId: KeyMetadata.KeyId });
  const unsignedTarget = await signedRequest({
    target: "TrentService.DescribeKey",
    body,
    unsignableHeaders: new Set(["x-amz-target"]),
  });
  assert.doesNotMatch(unsignedTarget.authorization, /SignedHeaders=[^,]*x-amz-target/);
  for (const target of ["TrentService.DescribeKey", "TrentService.DisableKey"]) {
    assert.deepEqual(await sendRaw({ ...unsignedTarget, "x-amz-target": target }, body), {
      status: 400,
      body: {
        __type: "InvalidSignatureException",
        message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
      },
    });
  }
  // Signed, the target is served as signed, and cannot be changed.
  const signed = await signedRequest({ target: "TrentService.DescribeKey", body });
  assert.match(signed.authorization, /SignedHeaders=[^,]*x-amz-target/);
  assert.equal((await sendRaw(signed, body)).status, 200);
  assert.deepEqual(await sendRaw({ ...signed, "x-amz-target": "TrentService.DisableKey" }, body), {
    status: 400,
    body: { __type: "InvalidSignatureException", message: BAD_SIGNATURE },
  });
  const state = await world.call({ account: KEY.accessKeyId }, "TrentService.DescribeKey", body);
  assert.equal(JSON.parse(state.body).KeyMetadata.KeyState, "Enabled");
});

test("a credential scoped to another service than kms is refused", async () => {
  const before = await keyCount();
  const body = "{}";
  const headers = await signedRequest({ target: "TrentService.CreateKey", body, service: "dynamodb" });
  assert.match(headers.authorization, /\/us-east-1\/dynamodb\/aws4_request/);
  assert.deepEqual(await sendRaw(headers, body), {
    status: 400,
    body: { __type: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'kms'. " },
  });
  assert.equal(await keyCount(), before);
});

test("wasmkms serve --credentials KEY:SECRET checks signatures", async (t) => {
  const child = await startEndpointProcess(["--credentials", `${KEY.accessKeyId}:${KEY.secretAccessKey}`]);
  t.after(() => child.kill("SIGKILL"));
  assert.match(child.output(), /signatures checked for 1 key/);
  const signed = realClient({ ...KEY, endpoint: child.url });
  const { KeyMetadata } = await signed.send(new CreateKeyCommand({}));
  assert.match(KeyMetadata.Arn, /:444455556666:key\//);
  const wrong = realClient({ ...KEY, secretAccessKey: "wrong", endpoint: child.url });
  assert.equal((await refusal(wrong.send(new CreateKeyCommand({})))).name, "InvalidSignatureException");
  const exited = await child.kill("SIGTERM");
  assert.equal(exited.code, 0);
});
