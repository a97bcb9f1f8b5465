// Benchmark: the real @aws-sdk/client-kms with wasmkms's request handler, Encrypt of 32 bytes, against
// the same SDK with a request handler that returns a recorded Encrypt answer at once (the SDK's own
// cost per call). Target (issue 6): at most 1.5x. Run: node bench/sdk-request-handler.mjs
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { createRequestHandler, createWorld } from "../js/node.mjs";
import { median } from "./lib/timing.mjs";

const ROUNDS = 15;
const CALLS_PER_ROUND = 400;
const WARMUP_CALLS = 2000;
const TARGET_RATIO = 1.5;

function client(requestHandler) {
  return new KMSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDWASMKMSBENCH", secretAccessKey: "bench" },
    maxAttempts: 1,
    requestHandler,
  });
}

// Returns the same recorded answer to every request, as fast as a handler can.
function cannedHandler(answer) {
  return {
    async handle() {
      return { response: { statusCode: answer.statusCode, headers: { ...answer.headers }, body: answer.body.slice() } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}

async function perCallMicros(kms, command, calls) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await kms.send(command);
  return Number(process.hrtime.bigint() - start) / 1000 / calls;
}

const world = createWorld();
const wasmkmsHandler = createRequestHandler({ world });
const wasmkms = client(wasmkmsHandler);
const { KeyMetadata } = await wasmkms.send(new CreateKeyCommand({}));
const encrypt = new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array(32).fill(7) });

// Record one real answer for the canned handler, so that both SDKs parse the same bytes.
let recorded;
const recording = client({
  ...wasmkmsHandler,
  handle: async (request, options) => {
    const result = await wasmkmsHandler.handle(request, options);
    recorded = result.response;
    return result;
  },
  updateHttpClientConfig() {},
  httpHandlerConfigs() {
    return {};
  },
  destroy() {},
});
await recording.send(encrypt);
const canned = client(cannedHandler(recorded));

// The same Encrypt straight into the world, without SDK or handler: the core's share of the cost.
const wireBody = JSON.stringify({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.alloc(32, 7).toString("base64") });
const worldOnly = {
  send: () => world.call({ account: "", region: "", principal: "" }, "TrentService.Encrypt", wireBody),
};

await perCallMicros(wasmkms, encrypt, WARMUP_CALLS);
await perCallMicros(canned, encrypt, WARMUP_CALLS);
await perCallMicros(worldOnly, undefined, WARMUP_CALLS);
const wasmkmsRounds = [];
const cannedRounds = [];
const worldRounds = [];
for (let round = 0; round < ROUNDS; round++) {
  cannedRounds.push(await perCallMicros(canned, encrypt, CALLS_PER_ROUND));
  wasmkmsRounds.push(await perCallMicros(wasmkms, encrypt, CALLS_PER_ROUND));
  worldRounds.push(await perCallMicros(worldOnly, undefined, CALLS_PER_ROUND));
}
const wasmkmsMedian = median(wasmkmsRounds);
const cannedMedian = median(cannedRounds);
const ratio = wasmkmsMedian / cannedMedian;
console.log(
  "real @aws-sdk/client-kms, Encrypt 32 B, median per call over %d rounds of %d calls",
  ROUNDS,
  CALLS_PER_ROUND,
);
console.log("  canned-answer request handler (SDK only): %s µs", cannedMedian.toFixed(1));
console.log("  wasmkms request handler:                  %s µs", wasmkmsMedian.toFixed(1));
console.log("  (the core alone, world.call Encrypt:      %s µs)", median(worldRounds).toFixed(1));
console.log(
  "  ratio %sx (target <= %sx): %s",
  ratio.toFixed(2),
  TARGET_RATIO,
  ratio <= TARGET_RATIO ? "met" : "MISSED",
);
