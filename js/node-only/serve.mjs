// A local KMS endpoint (Node only): AWS JSON 1.1 over HTTP on 127.0.0.1, answered by a wasmkms world,
// so that any AWS SDK or the AWS CLI can point its endpoint at it. The access key id names the account
// (see caller-from-request.mjs); signatures are checked only when serve() is given credentials. Beside
// the KMS wire, the same port answers the administration API under /_wasmkms/ (admin.mjs).

import { createServer } from "node:http";
import { createWorld, sharedWorld } from "../core/world.mjs";
import { callerFromAuthorization } from "../core/caller-from-request.mjs";
import { answerKmsCall, errorBodyText, KMS_TARGET_PREFIX, responseHeaders } from "../core/kms-wire.mjs";
import { whenToSave } from "./state-changing.mjs";
import { createSigV4Verifier } from "./sigv4-verifier.mjs";
import { loadStateFile, StateFileWriter } from "./state-file.mjs";
import { Admin, isAdminPath, readFixtures } from "./admin.mjs";

// The largest request body the endpoint reads. KMS's own inputs stay far below it (the largest blob
// is 6144 bytes); anything bigger is refused before it reaches the world.
export const MAX_BODY_BYTES = 1024 * 1024;

const LOOPBACK = "127.0.0.1";

// An RFC 3339 date-time, as the core's clock takes it (time.RFC3339Nano).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

// The refusals of requests that never reach the world. The Go endpoint (testharness/server.go) answers
// them alike: testdata/endpoint/malformed.json holds the two together and says why these answers.
const ONLY_POST = errorBodyText(undefined, "Only POST is served: AWS JSON 1.1");
const TOO_LARGE = errorBodyText(
  undefined,
  `Request body is larger than ${MAX_BODY_BYTES} bytes, the most this endpoint reads`,
);

/**
 * serve starts the endpoint and resolves once it listens.
 *
 * @param {object} [options]
 * @param {number} [options.port] 0 (the default) picks a free port
 * @param {string} [options.host] the interface; 127.0.0.1 unless another is named explicitly
 * @param {string} [options.stateFile] load the world from this file at start, and save it there after
 *   every successful change
 * @param {object} [options.world] the World to serve; the realm's shared world by default
 * @param {string} [options.accountId] fixes the calling account whatever the access key id
 * @param {string} [options.principal] the calling principal's ARN; by default the account's root
 * @param {{accessKeyId: string, secretAccessKey: string} | Array<{accessKeyId: string, secretAccessKey: string}>} [options.credentials]
 *   check every request's SigV4 signature against these keys (the administration API's too), and
 *   refuse the others as AWS does; without it, signatures are not checked
 * @param {string} [options.seed] serve a new world whose answers repeat from run to run (key IDs,
 *   material, ciphertexts)
 * @param {string | Date} [options.clock] serve a new world on a manual clock that starts at this
 *   instant (RFC 3339) and moves only by the administration API (or a latency fault)
 * @param {string | object} [options.fixtures] a fixtures file (JSON) or document ({"keys": [...]}),
 *   loaded into a new world at start (a state file that exists replaces it) and again by
 *   POST /_wasmkms/reset
 * @returns {Promise<{url: string, host: string, port: number, close(): Promise<void>}>}
 */
export async function serve({
  port = 0,
  host,
  stateFile,
  world,
  accountId,
  principal,
  credentials,
  seed,
  clock,
  fixtures,
} = {}) {
  const verifySignature = credentials === undefined ? undefined : createSigV4Verifier(credentials);
  if (world !== undefined && (seed !== undefined || clock !== undefined || fixtures !== undefined)) {
    throw new TypeError(
      "wasmkms: serve()'s seed, clock and fixtures make the world it serves; for a world of your own, give them to createWorld()",
    );
  }
  const servedWorld = await (world ?? worldFor(seed, clock, fixtures));
  const stateWriter = stateFile ? new StateFileWriter(servedWorld, stateFile) : undefined;
  const admin = new Admin(servedWorld, { onChange: async () => stateWriter?.save() });
  // A new state file is written at once: a path that cannot be written fails here, at start, rather
  // than on the first change, which would then be made in memory but never acknowledged.
  if (stateFile && !(await loadStateFile(servedWorld, stateFile))) await stateWriter.save();

  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    answerHttpRequest(request, response, {
      world: servedWorld,
      fixedCaller: { accountId, principal },
      stateWriter,
      verifySignature,
      admin,
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    // Loopback unless a host is named: an empty or absent host would otherwise mean every interface.
    server.listen(port, host || LOOPBACK, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stateWriter?.idle(); // a save already started finishes, so the file holds its change
      if (stateWriter?.pending) await stateWriter.save(); // the last-usage records since the last save
    },
  };
}

// The world serve() makes: the realm's shared world, or a world of its own for a seed, a clock or
// fixtures (which its reset() loads again).
async function worldFor(seed, clock, fixtures) {
  if (seed === undefined && clock === undefined && fixtures === undefined) return sharedWorld();
  if (seed !== undefined && (typeof seed !== "string" || seed === "")) {
    throw new TypeError("wasmkms: serve()'s seed must be a non-empty string");
  }
  const start = clock instanceof Date ? clock.toISOString() : clock;
  if (start !== undefined && (typeof start !== "string" || !RFC3339.test(start) || Number.isNaN(Date.parse(start)))) {
    throw new TypeError(
      `wasmkms: serve()'s clock must be an RFC 3339 time such as 2030-01-01T00:00:00Z, not ${JSON.stringify(clock)}`,
    );
  }
  const world = createWorld({ seed, clock: start, fixtures: await readFixtures(fixtures) });
  // The world loads its fixtures when it attaches: attached here, a refusal stops serve() at start.
  await world.clock.now();
  return world;
}

function answerHttpRequest(request, response, context) {
  if (isAdminPath(request.url)) {
    readBody(request, response, (body) =>
      answerAdminRequest(request, body, context).then(
        (answer) => send(response, answer, { "content-type": "application/json", ...answer.headers }),
        (error) => send(response, internalError(error)),
      ),
    );
    return;
  }
  if (request.method !== "POST") {
    send(response, { status: 405, text: ONLY_POST }, { allow: "POST" });
    request.resume();
    return;
  }
  readBody(request, response, (body) =>
    answerKmsRequest(request, body, context).then(
      (answer) => send(response, answer),
      (error) => send(response, internalError(error)),
    ),
  );
}

// readBody reads the request's body, at most MAX_BODY_BYTES of it, and hands it to then.
function readBody(request, response, then) {
  const declaredLength = Number(request.headers["content-length"]);
  if (declaredLength > MAX_BODY_BYTES) {
    refuseTooLarge(request, response);
    return;
  }
  const chunks = [];
  let received = 0;
  let refused = false;
  request.on("data", (chunk) => {
    if (refused) return;
    received += chunk.length;
    if (received > MAX_BODY_BYTES) {
      refused = true;
      refuseTooLarge(request, response);
      return;
    }
    chunks.push(chunk);
  });
  request.on("end", () => {
    if (refused) return;
    then(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  });
  request.on("error", () => response.destroy());
}

async function answerKmsRequest(request, body, { world, fixedCaller, stateWriter, verifySignature }) {
  const refusal = verifySignature?.(request, body);
  if (refusal) return { status: 400, text: errorBodyText(refusal.name, refusal.message) };
  const caller = callerFromAuthorization(request.headers.authorization, fixedCaller);
  const target = request.headers["x-amz-target"];
  // A latency fault has delayed the answer already (world.call waits, or moves a manual clock).
  const answer = await answerKmsCall(world, caller, target, body);
  if (stateWriter && answer.status === 200 && target.startsWith(KMS_TARGET_PREFIX)) {
    const when = whenToSave(target);
    // Acknowledge only what is on disk: a SIGKILL after this answer must not lose the change.
    if (when === "now") await stateWriter.save();
    else if (when === "later") stateWriter.pending = true;
  }
  return answer;
}

// The administration API: the same credentials as the KMS wire when signatures are checked (a
// refusal is a 403 with AWS's error), then the route's JSON answer.
async function answerAdminRequest(request, body, { verifySignature, admin }) {
  const refusal = verifySignature?.(request, body);
  if (refusal) return { status: 403, text: errorBodyText(refusal.name, refusal.message) };
  return admin.answer(request.method, request.url, body);
}

// A request the endpoint refuses unread: the connection closes after the answer, since the rest of
// the body would otherwise be parsed as the next request.
function refuseTooLarge(request, response) {
  send(response, { status: 413, text: TOO_LARGE }, { connection: "close" });
  // Read and drop the rest, so that a client still sending gets to read the answer instead of a reset.
  request.resume();
}

// A failure of the host itself (a dead module instance, an unwritable state file): the caller gets a
// server fault that says what happened, which the SDKs surface as KMSInternalException.
function internalError(error) {
  const message = `wasmkms endpoint: ${error?.message ?? String(error)}`;
  return { status: 500, text: errorBodyText("KMSInternalException", message) };
}

// The body goes as a string: Node then writes the head and the body in one write, not two.
function send(response, { status, text, requestId }, extraHeaders = {}) {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...responseHeaders(Buffer.byteLength(text), requestId), ...extraHeaders });
  response.end(text, "utf8");
}
