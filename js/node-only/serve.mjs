// A local KMS endpoint (Node only): AWS JSON 1.1 over HTTP on 127.0.0.1, answered by a wasmkms world,
// so that any AWS SDK or the AWS CLI can point its endpoint at it. The access key id names the account
// (see caller-from-request.mjs); signatures are checked only when serve() is given credentials. Beside
// the KMS wire, the same port answers the administration API under /_wasmkms/ (admin.mjs) and, to
// GET /, a health document. The state file is a log of the world's changes (state-log.mjs), which one
// endpoint at a time holds (state-lock.mjs); a module instance that traps is restarted from it
// (instance-restart.mjs), and so is a world whose change could not be written.

import { createServer } from "node:http";
import { createWorld, sharedWorld } from "../core/world.mjs";
import { callerFromAuthorization } from "../core/caller-from-request.mjs";
import { answerKmsCall, errorBodyText, KMS_TARGET_PREFIX, responseHeaders } from "../core/kms-wire.mjs";
import { createSigV4Verifier } from "./sigv4-verifier.mjs";
import { StateLog } from "./state-log.mjs";
import { lockStateFile } from "./state-lock.mjs";
import { RestartingWorld } from "./instance-restart.mjs";
import { MAX_BODY_BYTES, readBody, tooLargeUnread } from "./request-body.mjs";
import { requestLogLine } from "./request-log.mjs";
import { packageVersion } from "./package-version.mjs";
import { Admin, isAdminPath, readFixtures } from "./admin.mjs";

const ADMIN_CALLER = { account: "", region: "", principal: "" };

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
 * @param {string} [options.stateFile] load the world from this file at start, and keep every change
 *   there: a call is answered once what it changed is on disk (a key's last use, about a second
 *   later); one endpoint at a time holds it (a lock file beside it, `<file>.lock`)
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
 * @param {string | object} [options.fixtures] a fixtures file (JSON, or YAML: see loadFixtures) or
 *   document ({"keys": [...]}), loaded into a new world at start (a state file that exists replaces
 *   it) and again by POST /_wasmkms/reset
 * @param {boolean} [options.allowAnyRegion] serve a new world that takes requests signed for a Region of
 *   any name (a host label); by default a Region that is not AWS's is refused as AWS refuses it
 * @param {(line: string) => void} [options.log] takes one line per call answered (request-log.mjs)
 *   and the endpoint's notices (a module instance restarted); without it, the notices go to
 *   console.error
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
  allowAnyRegion,
  log,
} = {}) {
  if (log !== undefined && typeof log !== "function") {
    throw new TypeError("wasmkms: serve()'s log must be a function that takes one line");
  }
  const verifySignature = credentials === undefined ? undefined : createSigV4Verifier(credentials);
  if (
    world !== undefined &&
    (seed !== undefined || clock !== undefined || fixtures !== undefined || allowAnyRegion !== undefined)
  ) {
    throw new TypeError(
      "wasmkms: serve()'s seed, clock, fixtures and allowAnyRegion make the world it serves; for a world of your own, give them to createWorld()",
    );
  }
  const lock = stateFile ? await lockStateFile(stateFile) : undefined;
  try {
    return await start({
      port,
      host,
      stateFile,
      world,
      accountId,
      principal,
      verifySignature,
      seed,
      clock,
      fixtures,
      allowAnyRegion,
      log,
      lock,
    });
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function start({
  port,
  host,
  stateFile,
  world,
  accountId,
  principal,
  verifySignature,
  seed,
  clock,
  fixtures,
  allowAnyRegion,
  log,
  lock,
}) {
  const servedWorld = await (world ?? worldFor(seed, clock, fixtures, allowAnyRegion));
  const notify = log ?? ((line) => console.error(line));
  // A write of the state file that failed (a full disk) undoes what it would have kept: the file is cut
  // back to what is on disk, and the world put back from it.
  const rollBack = (error) =>
    stateLog
      .rollBack((restore) =>
        keeper.rebuild(
          `a write of state file ${stateFile} failed (${error.code ?? error.message}): the changes not on disk are undone, the world is put back from the file`,
          restore,
        ),
      )
      .catch((failure) => notify(`wasmkms: state file ${stateFile} could not be cut back: ${failure.message}`));
  const stateLog = stateFile ? new StateLog(servedWorld, stateFile, { notify, onFailure: rollBack }) : undefined;
  const keeper = new RestartingWorld(servedWorld, {
    restore: stateLog ? () => stateLog.reload() : () => servedWorld.call(ADMIN_CALLER, "WasmKMS.GetClock", ""), // attaches: a failure shows here
    describeRestore: stateLog
      ? `the world is back from state file ${stateFile} (the last uses of keys in the second before are lost)`
      : "the world is EMPTY again: without a state file, its keys were lost",
    notify,
  });
  const admin = new Admin(
    keeper,
    stateLog && { change: (fn, options) => stateLog.change(fn, options), observe: (fn) => stateLog.call(fn) },
  );
  // A new state file is written at once: a path that cannot be written fails here, at start, rather
  // than on the first change, which would then be made in memory but never acknowledged.
  await stateLog?.open();

  const context = {
    world: keeper,
    fixedCaller: { accountId, principal },
    stateLog,
    verifySignature,
    admin,
    log,
    health: { startedAt: Date.now(), stateFile: Boolean(stateFile), signatures: verifySignature !== undefined },
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) =>
    answerHttpRequest(request, response, context),
  );
  // A client that asks before sending its body (Expect: 100-continue, as curl does above 1 MiB) is
  // refused before it sends a body that is too large; the others are told to go on.
  server.on("checkContinue", (request, response) => {
    if (tooLargeUnread(request)) {
      refuseTooLarge(request, response, context, Date.now());
      return;
    }
    response.writeContinue();
    answerHttpRequest(request, response, context);
  });
  await listen(server, port, host || LOOPBACK); // loopback unless a host is named: "" would mean every interface
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
      // The last uses still waiting; never from a world that is not the file's.
      await stateLog?.close({ write: keeper.healthy });
      await lock?.release();
    },
  };
}

// listen resolves once the server listens, or rejects with one line saying why it cannot (the
// system's code kept): a port in use is the usual one.
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (error) => {
      const why = LISTEN_PROBLEMS[error.code] ?? error.message;
      reject(
        Object.assign(new Error(`wasmkms: cannot listen on ${host} port ${port}: ${why}`, { cause: error }), {
          code: error.code,
        }),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

const LISTEN_PROBLEMS = {
  EADDRINUSE: "the port is in use (another process listens there; --port picks another, 0 a free one)",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "no interface of this machine has that address",
  ENOTFOUND: "no such host",
};

// The world serve() makes: the realm's shared world, or a world of its own for a seed, a clock,
// fixtures (which its reset() loads again) or allowAnyRegion.
async function worldFor(seed, clock, fixtures, allowAnyRegion) {
  if (seed === undefined && clock === undefined && fixtures === undefined && allowAnyRegion === undefined) {
    return sharedWorld();
  }
  if (seed !== undefined && (typeof seed !== "string" || seed === "")) {
    throw new TypeError("wasmkms: serve()'s seed must be a non-empty string");
  }
  const start = clock instanceof Date ? clock.toISOString() : clock;
  if (start !== undefined && (typeof start !== "string" || !RFC3339.test(start) || Number.isNaN(Date.parse(start)))) {
    throw new TypeError(
      `wasmkms: serve()'s clock must be an RFC 3339 time such as 2030-01-01T00:00:00Z, not ${JSON.stringify(clock)}`,
    );
  }
  const world = createWorld({ seed, clock: start, fixtures: await readFixtures(fixtures), allowAnyRegion });
  // The world loads its fixtures when it attaches: attached here, a refusal stops serve() at start.
  await world.clock.now();
  return world;
}

function answerHttpRequest(request, response, context) {
  // Nothing here may end the process: a failure the answer did not foresee loses its connection.
  answerRequest(request, response, context).catch(() => response.destroy());
}

async function answerRequest(request, response, context) {
  const start = Date.now();
  const target = request.headers["x-amz-target"];
  const admin = isAdminPath(request.url);
  if (!admin && request.method !== "POST") {
    if (isHealthRequest(request, target)) {
      request.resume();
      send(response, await healthAnswer(context), { "content-type": "application/json" });
      return; // not a call: not in the log
    }
    request.resume();
    answer(response, context, { start, target }, { status: 405, text: ONLY_POST }, { allow: "POST" });
    return;
  }
  const read = await readBody(request);
  if (read.aborted) {
    response.destroy();
    return;
  }
  if (read.tooLarge) {
    refuseTooLarge(request, response, context, start);
    return;
  }
  const call = admin
    ? { start, method: request.method, path: new URL(request.url, "http://localhost").pathname, body: read.body }
    : { start, target, body: read.body };
  let result;
  try {
    result = admin
      ? await answerAdminRequest(request, read.body, context)
      : await answerKmsRequest(request, read.body, context);
  } catch (error) {
    result = internalError(error);
  }
  const headers = admin ? { "content-type": "application/json", ...result.headers } : {};
  answer(response, context, call, result, headers);
}

async function answerKmsRequest(request, body, { world, fixedCaller, stateLog, verifySignature }) {
  const refusal = verifySignature?.(request, body);
  if (refusal) return { status: 400, text: errorBodyText(refusal.name, refusal.message) };
  const caller = callerFromAuthorization(request.headers.authorization, fixedCaller);
  const target = request.headers["x-amz-target"];
  let generation; // the module instance that answered (RestartingWorld's count)
  const answering = {
    call: async (...args) => {
      const answer = await world.call(...args);
      generation = answer.generation;
      return answer;
    },
  };
  // A latency fault has delayed the answer already (world.call waits, or moves a manual clock).
  const run = () => answerKmsCall(answering, caller, target, body);
  if (stateLog === undefined || !target?.startsWith(KMS_TARGET_PREFIX)) return run();
  // Answered once what it changed, and every change before it, is on disk: no client sees a change
  // that a kill could still lose.
  const answer = await stateLog.call(run);
  // The world put back since the call (its instance died, or a write failed) may not have kept it.
  if (world.generation !== generation) {
    throw new Error(
      "the world was put back from the state file while this call was answered; what it did may not have been kept",
    );
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

// GET / without a KMS target is a health check (a container's, a test's wait for the endpoint), not a
// KMS call: with a target it is a KMS call by the wrong method, and refused as one.
function isHealthRequest(request, target) {
  return (
    (request.method === "GET" || request.method === "HEAD") && target === undefined && /^\/(\?|$)/.test(request.url)
  );
}

// The health document: 200 while the world answers, 503 while it cannot (a module instance being
// restarted, or that could not be). It asks the world's clock, which also restarts a dead instance.
async function healthAnswer({ world, health }) {
  let clock;
  try {
    const answer = await world.call(ADMIN_CALLER, "WasmKMS.GetClock", "");
    if (answer.status === 200) clock = JSON.parse(answer.body);
  } catch {
    // answered below as unavailable
  }
  const ok = clock !== undefined && world.healthy;
  const document = {
    service: "wasmkms",
    version: packageVersion(),
    status: ok ? "ok" : "unavailable",
    time: clock?.now,
    manualClock: clock?.manual,
    uptimeSeconds: Math.floor((Date.now() - health.startedAt) / 1000),
    restarts: world.restarts,
    stateFile: health.stateFile,
    signatures: health.signatures,
  };
  return { status: ok ? 200 : 503, text: JSON.stringify(document) };
}

// A body too large: 413, and the connection closed after it (the rest of a body not drained would be
// read as the next request). See request-body.mjs for why the answer waits for the body.
function refuseTooLarge(request, response, context, start) {
  const call = { start, target: request.headers["x-amz-target"] };
  answer(response, context, call, { status: 413, text: TOO_LARGE }, { connection: "close" });
}

// A failure of the host itself (a dead module instance, an unwritable state file): the caller gets a
// server fault that says what happened, which the SDKs surface as KMSInternalException.
function internalError(error) {
  const message = `wasmkms endpoint: ${error?.message ?? String(error)}`;
  return { status: 500, text: errorBodyText("KMSInternalException", message) };
}

// answer writes a call's line to the log, then sends its answer (a client that has its answer finds
// the line written).
function answer(response, { log }, call, result, extraHeaders) {
  if (log) log(requestLogLine({ ...call, status: result.status, text: result.text }));
  send(response, result, extraHeaders);
}

// The body goes as a string: Node then writes the head and the body in one write, not two.
function send(response, { status, text, requestId }, extraHeaders = {}) {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...responseHeaders(Buffer.byteLength(text), requestId), ...extraHeaders });
  response.end(text, "utf8");
}
