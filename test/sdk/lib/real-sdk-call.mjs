// The conformance engine's `call` over the real @aws-sdk/client-kms (runtime-neutral: Node, Chromium
// pages and workerd import this same file). A step's JSON request becomes the real SDK's command input
// (blob members decoded to bytes, with the conversions test/lib/sdk-adapter.mjs defines for our own
// client), the real SDK serializes, signs and sends it, and its output or exception goes back to the
// JSON level.
//
// The caller travels the way a real client carries it: the account as the 12-digit access key id, the
// region as the client's region. A principal cannot travel in a request; a request handler or an
// endpoint fixed to that principal stands in for it.
import { commandInputOf, toWireJSON } from "../../lib/sdk-adapter.mjs";

// The real SDK turns an absent error message into "UnknownError" (as test/lib/sdk-adapter.mjs notes).
const SDK_UNKNOWN_MESSAGE = "UnknownError";

/**
 * realSdkCall(realSdk, operations, clientFor): realSdk is the @aws-sdk/client-kms module as imported
 * in this runtime, operations our operations table (js/core/operations.mjs: which members are blobs),
 * clientFor(caller) a real client (or a promise of one) for the step's caller.
 */
export function realSdkCall(realSdk, operations, clientFor) {
  const table = { operations };
  return async function call({ caller, op, request }) {
    const Command = realSdk[`${op}Command`];
    if (Command === undefined) throw new Error(`@aws-sdk/client-kms has no ${op}Command`);
    if (operations[op] === undefined)
      throw new Error(`js/core/operations.mjs has no ${op}: cannot decode its blob members`);
    const client = await clientFor(caller);
    try {
      const { $metadata, ...output } = await client.send(new Command(commandInputOf(table, op, request)));
      return { status: $metadata.httpStatusCode, body: toWireJSON(output) };
    } catch (error) {
      if (!(error instanceof realSdk.KMSServiceException)) throw error;
      // Every error name the real package knows must arrive as that class, as it would from AWS.
      const Known = realSdk[error.name];
      if (typeof Known === "function" && !(error instanceof Known)) {
        throw new Error(`${error.name} arrived as ${error.constructor.name}, not as the real package's ${error.name}`);
      }
      const body = { __type: error.name };
      if (error.message !== SDK_UNKNOWN_MESSAGE) body.message = error.message;
      return { status: error.$metadata.httpStatusCode, body };
    }
  };
}

/** realClientConfig: a real client's config for a caller, over `transport` (requestHandler or endpoint). */
export function realClientConfig(caller, transport) {
  return {
    region: caller.region,
    credentials: { accessKeyId: caller.account, secretAccessKey: "wasmkms-conformance" },
    maxAttempts: 1,
    ...transport,
  };
}

/**
 * requestHandlerCall(realSdk, pkg, world): the real SDK with the package's request handler on `world`,
 * one client per caller. pkg is the package as imported in this runtime.
 */
export function requestHandlerCall(realSdk, pkg, world) {
  const clients = new Map();
  return realSdkCall(realSdk, pkg.operations, (caller) => {
    const key = `${caller.account}\n${caller.region}\n${caller.principal}`;
    if (!clients.has(key)) {
      const requestHandler = pkg.createRequestHandler({ world, principal: caller.principal });
      clients.set(key, new realSdk.KMSClient(realClientConfig(caller, { requestHandler })));
    }
    return clients.get(key);
  });
}

/**
 * runScenariosThroughRequestHandler: every scenario, each in a fresh world of `pkg`, through the real
 * SDK and the request handler. Resolves to one summary per file, as in test/browser.
 */
export async function runScenariosThroughRequestHandler({ realSdk, pkg, runScenario, formatFailures, scenarios }) {
  const summaries = [];
  for (const { file, scenario } of scenarios) {
    const world = pkg.createWorld();
    try {
      const result = await runScenario(scenario, requestHandlerCall(realSdk, pkg, world), { sdk: true, file });
      summaries.push({
        file,
        passed: result.passed,
        failed: result.failed,
        skipped: result.skipped,
        failures: result.failed ? formatFailures(result) : "",
      });
    } catch (error) {
      summaries.push({ file, error: String(error?.stack ?? error) });
    } finally {
      world.reset();
    }
  }
  return summaries;
}

/**
 * roundTripByHand: one client of the real SDK over the package's request handler, in `region`, makes
 * CreateKey, Encrypt and Decrypt of `plaintext`, then DescribeKey of a missing alias. Resolves to
 * { arn, text, notFound }: the key's ARN, the decrypted text, and the exception's class check, name
 * and message.
 */
export async function roundTripByHand({ realSdk, pkg, region, plaintext }) {
  const client = new realSdk.KMSClient({
    region,
    credentials: { accessKeyId: "444455556666", secretAccessKey: "x" },
    requestHandler: pkg.createRequestHandler({ world: pkg.createWorld() }),
  });
  const { KeyMetadata } = await client.send(new realSdk.CreateKeyCommand({}));
  const encrypted = await client.send(new realSdk.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext }));
  const decrypted = await client.send(new realSdk.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  let notFound;
  try {
    await client.send(new realSdk.DescribeKeyCommand({ KeyId: "alias/missing" }));
  } catch (error) {
    notFound = { isClass: error instanceof realSdk.NotFoundException, name: error.name, message: error.message };
  }
  return { arn: KeyMetadata.Arn, text: new TextDecoder().decode(decrypted.Plaintext), notFound };
}
