// Worlds: what every public surface (KMSClient, the SDK request handler, the endpoint) calls. A world is
// one simulated AWS (every account and region), living in a module instance. All clients of a realm
// share sharedWorld() by default, like one AWS; createWorld() gives an isolated one for parallel tests.
//
// A world also has the test controls: a seed and a manual clock (createWorld options), faults, the call
// journal (calls(), cloudTrail()), snapshots. They are promise-returning, as everything a world does:
// the world attaches to its module instance (compiling the module on first use) at its first call.

import { compileFrom, sharedModuleInstance } from "./loader.mjs";
import { ModuleInstance, WasmKMSError } from "./module.mjs";
import { StateCopy } from "./state-copy.mjs";
import { fromBase64, toBase64 } from "./base64.mjs";
import { randomRequestId } from "./kms-wire.mjs";
import { nextFloat, nextUUID, seededStream } from "./prng.mjs";
import { callOf, cloudTrailOf } from "./journal.mjs";
import { isDate, isPlainObject } from "./realm.mjs";

const KMS_TARGET_PREFIX = "TrentService.";
const CREATE_KEY = "TrentService.CreateKey";
const SUPPLY_RSA_KEY = "WasmKMS.SupplyRSAKey";
const RSA_MODULUS_BITS = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const ADMIN_CALLER = Object.freeze({});
// The state log's administration targets: a host that calls them keeps the world's log itself (the
// endpoint's state file), and the world then keeps no copy of its own (a take answers each change once).
const STATE_LOG_PREFIX = "WasmKMS.StateLog";

const FAULT_MEMBERS = [
  "operation",
  "keyId",
  "account",
  "region",
  "error",
  "message",
  "times",
  "probability",
  "latencyMs",
];
const FILTER_MEMBERS = ["operation", "keyId", "account", "region"];
const DURATION_MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 };

// An instant given as a Date or a date string, as RFC 3339 text; a TypeError naming `what` otherwise.
function instantOf(value, what) {
  if (!isDate(value) && typeof value !== "string") {
    throw new TypeError(`wasmkms: ${what} must be a Date or a date string, not ${describe(value)}`);
  }
  const date = new Date(typeof value === "string" ? value : value.getTime());
  if (Number.isNaN(date.getTime())) throw new TypeError(`wasmkms: ${what} ${describe(value)} is not a valid date`);
  return date.toISOString();
}

const describe = (value) =>
  typeof value === "string" ? JSON.stringify(value) : isDate(value) ? "an invalid Date" : String(value);

// Only the members a control takes, each checked against its list: a misspelt member (KeyId for
// keyId) is a TypeError instead of a silently wider filter or fault.
function pick(value, members, what) {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new TypeError(`wasmkms: ${what} must be an object`);
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    if (!members.includes(key)) {
      throw new TypeError(`wasmkms: ${what} has no member ${JSON.stringify(key)} (it takes ${members.join(", ")})`);
    }
    if (item !== undefined) out[key] = item;
  }
  return out;
}

// JSON text of a document option (fixtures, a snapshot): an object, or JSON text of one.
function documentText(value, what) {
  if (typeof value === "string") return value;
  if (!isPlainObject(value)) throw new TypeError(`wasmkms: ${what} must be an object (or its JSON text)`);
  return JSON.stringify(value);
}

// The message of an admin answer's error body.
function answerMessage(body) {
  try {
    const parsed = JSON.parse(body);
    return parsed?.message ?? parsed?.__type ?? body;
  } catch {
    return body;
  }
}

// What the client's retries (retry.mjs) ask of a world: to sleep in its time and to draw jitter from its
// seed. Keyed by Symbol.for rather than private, so that a World made by the other copy of the package
// (CommonJS and ESM share one shared world: sharedWorld) answers them too. Not public.
const SLEEP = Symbol.for("wasmkms.World.sleep");
const JITTER = Symbol.for("wasmkms.World.jitter");
const BRAND = Symbol.for("wasmkms.World");
/** A World's callDirect without waiting (client.mjs); keyed as SLEEP is, for the package's other copy. */
export const CALL_DIRECT_NOW = Symbol.for("wasmkms.World.callDirectNow");
// Where the process's (the realm's) shared world is kept: on the global object, so that the CommonJS and
// the ESM copy of the package, each with its own module state, give every client the same one.
const SHARED_WORLD = Symbol.for("wasmkms.sharedWorld");

/**
 * A World answers AWS JSON 1.1 requests. It attaches to its module instance on the first call.
 *
 * If the instance traps (the module itself is broken, or the host failed under a call), the call that
 * trapped rejects with a WasmKMSError saying so, and the world's next call rebuilds it on a fresh
 * instance, as the calls answered before left it: the world keeps a copy of its state outside the
 * instance (state-copy.mjs), taken after each call that changed it. So does every other world that
 * lived on that instance. A world made with `recovery: false`, or whose state log another host keeps
 * (the endpoint's state file), keeps no copy: after a trap it rejects every call, saying it was lost,
 * until reset() starts it again, empty. A world never silently comes back empty.
 */
export class World {
  #freshRSAKeys;
  #allowAnyRegion;
  #journal;
  #recovery;
  #hostCrypto;
  #testHooks;
  #directPath;
  #directCalls = 0;
  #wasm;
  #seed;
  #clockStart;
  #fixtures;
  #snapshot;
  #instance = null; // ModuleInstance once attached
  #handle = 0;
  #attaching = null;
  #requestIds = null; // the seeded world's request ID stream
  #jitter = null; // the seeded world's retry jitter stream
  #latencyFaults = new Set(); // IDs of the faults with latencyMs, while any may be registered
  #copy = null; // StateCopy of the world's state, while it keeps one (recovery)
  #stateLogElsewhere = false; // another host takes the world's state log: no copy is kept here
  #manualNow; // the manual clock's last instant the world answered, for a rebuild
  #epoch = 0; // moves at each reset(): a rebuild begun before one is dropped

  /** `instanceof World` also holds for a World of the package's other copy (CommonJS or ESM). */
  static [Symbol.hasInstance](value) {
    return Function.prototype[Symbol.hasInstance].call(World, value) || value?.[BRAND] === true;
  }

  get [BRAND]() {
    return true;
  }

  [SLEEP](ms) {
    return this.#sleep(ms);
  }

  [JITTER]() {
    return this.#jitter === null ? Math.random() : nextFloat(this.#jitter);
  }

  /**
   * options.freshRSAKeys: CreateKey of an RSA spec uses a key generated just then by the host's
   * WebCrypto (off the JS thread) instead of the module's fast pool of test keys.
   * options.wasm: a module source (as configure({ wasm }) takes) for this world alone; by default the
   * world lives in the realm's shared instance.
   * options.testHooks: enables the module's WasmKMS.Panic target (a panic on purpose), for tests that
   * prove a Go panic is answered as KMSInternalException and the instance keeps serving.
   * options.directPath (default true): let
   * KMSClient send the operations that have a direct export (Encrypt, Decrypt, ReEncrypt, the data keys,
   * Sign, Verify, the MACs, CreateKey, ListKeys: `direct` in operations.mjs) through it (no JSON, no base64) when
   * the module has it. Both paths answer identically; false forces the generic call, for tests.
   * options.seed: makes the world reproducible: its key IDs, key material, ciphertexts, request IDs
   * and retry jitter come from the seed.
   * options.clock (a Date or a date string): starts the world on a manual clock at that instant.
   * options.snapshot (world.snapshot()'s object), options.fixtures ({ keys: [...] }): loaded into
   * the world when it is made (the snapshot first), and again after every reset().
   * options.allowAnyRegion (default false): callers may name any Region that is a host label
   * ("local", "mars-1"); by default only AWS's Regions, as AWS (the core refuses the others).
   * options.journal (default true): false turns the call journal off (calls() and cloudTrail()
   * reject), for a world whose calls nobody asserts on.
   * options.hostCrypto (default true): false makes the module run its own Go cryptography even where
   * the host supplies faster primitives (node:crypto): the same answers, for tests that compare them.
   * options.recovery (default true): the world keeps a copy of its state outside its module instance,
   * and after a trap its next call rebuilds it from the copy on a fresh instance; false keeps none (no
   * memory for it, no take after a change), and a trap loses the world until reset().
   */
  constructor({
    freshRSAKeys = false,
    testHooks = false,
    wasm,
    directPath = true,
    seed,
    clock,
    fixtures,
    snapshot,
    journal = true,
    recovery = true,
    allowAnyRegion = false,
    hostCrypto = true,
  } = {}) {
    this.#freshRSAKeys = Boolean(freshRSAKeys);
    if (typeof allowAnyRegion !== "boolean") {
      throw new TypeError("wasmkms: createWorld's allowAnyRegion must be true or false");
    }
    this.#allowAnyRegion = allowAnyRegion;
    if (typeof journal !== "boolean") throw new TypeError("wasmkms: createWorld's journal must be true or false");
    this.#journal = journal;
    if (typeof recovery !== "boolean") throw new TypeError("wasmkms: createWorld's recovery must be true or false");
    this.#recovery = recovery;
    if (typeof hostCrypto !== "boolean") throw new TypeError("wasmkms: createWorld's hostCrypto must be true or false");
    this.#hostCrypto = hostCrypto;
    this.#testHooks = Boolean(testHooks);
    this.#directPath = Boolean(directPath);
    this.#wasm = wasm;
    if (seed !== undefined && typeof seed !== "string") {
      throw new TypeError(`wasmkms: createWorld's seed must be a string, not ${describe(seed)}`);
    }
    this.#seed = seed || undefined;
    this.#clockStart = clock === undefined ? undefined : instantOf(clock, "createWorld's clock");
    if (fixtures !== undefined && !isPlainObject(fixtures)) {
      throw new TypeError(
        "wasmkms: createWorld's fixtures must be an object { keys: [...] } (for a file, in Node: await loadFixtures(path))",
      );
    }
    this.#fixtures = fixtures === undefined ? undefined : JSON.stringify(fixtures);
    this.#snapshot = snapshot === undefined ? undefined : documentText(snapshot, "createWorld's snapshot");
    this.#startStreams();
    this.clock = Object.freeze({
      now: async () => new Date((await this.#adminCall("GetClock", "")).now),
      set: async (date) => {
        const time = instantOf(date, "clock.set's time");
        return new Date((await this.#adminCall("SetClock", JSON.stringify({ time }))).now);
      },
      advance: async (by) => {
        const ms = durationOf(by);
        return new Date((await this.#adminCall("AdvanceClock", JSON.stringify({ ms }))).now);
      },
    });
    this.faults = Object.freeze({
      add: async (fault) => {
        const body = pick(fault, FAULT_MEMBERS, "a fault");
        const { id } = await this.#adminCall("AddFault", JSON.stringify(body));
        if (body.latencyMs > 0) this.#latencyFaults.add(id);
        return Object.freeze({
          id,
          remove: async () => {
            await this.#adminCall("RemoveFault", JSON.stringify({ id }));
            this.#latencyFaults.delete(id);
          },
        });
      },
      clear: async () => {
        await this.#adminCall("ClearFaults", "");
        this.#latencyFaults.clear();
      },
      list: async () => (await this.#adminCall("ListFaults", "")).faults,
    });
  }

  get options() {
    return { freshRSAKeys: this.#freshRSAKeys };
  }

  /**
   * call(caller, target, body): caller is `{ account, region, principal }` (absent members take the
   * defaults), target e.g. "TrentService.Encrypt", body the JSON request text. Resolves to
   * `{ status, body, requestId }` with the JSON answer text and, for a KMS call, the request ID the
   * world gave it (the journal has the same). A KMS call that a latency fault slows resolves that much
   * later (in the world's time: at once, the manual clock advanced, on a manual clock).
   */
  async call(caller, target, body) {
    if (this.#freshRSAKeys && target === CREATE_KEY) await this.#supplyFreshRSAKey(caller, body);
    while (!this.#attached()) await this.#attach(); // again if reset() came while attaching
    if (typeof target !== "string" || !target.startsWith(KMS_TARGET_PREFIX)) {
      if (typeof target === "string" && target.startsWith(STATE_LOG_PREFIX)) this.#keepStateElsewhere();
      const answer = this.#callNow(caller, target, body);
      this.#noteAdminCall(target, body, answer);
      return answer;
    }
    const requestId = this.#nextRequestId();
    const answer = this.#callNow(caller, target, body, requestId);
    answer.requestId = requestId;
    const latency = this.#takeLatency();
    if (latency > 0) await this.#sleep(latency);
    return answer;
  }

  /**
   * callDirect(caller, operation, fields): an operation through the module's direct export (see
   * ModuleInstance.callDirect for `fields` and the answer, which also has the call's `requestId`).
   * Resolves to null when this world does not take the direct path (directPath false, or a module
   * without the export): the caller then uses call() with the JSON body.
   */
  async callDirect(caller, operation, fields) {
    if (!this.#directPath) return null;
    while (!this.#attached()) await this.#attach();
    const answer = this.#callDirectAttached(caller, operation, fields);
    if (answer === null) return null;
    const latency = this.#takeLatency();
    if (latency > 0) await this.#sleep(latency);
    return answer;
  }

  // callDirect without waiting, for the client's common case (client.mjs, sendDirect): the same answer
  // (or null), or undefined, with nothing done, when this world would wait: not attached yet (or to be
  // rebuilt after a trap), or a latency fault registered.
  [CALL_DIRECT_NOW](caller, operation, fields) {
    if (!this.#directPath) return null;
    if (this.#instance === null || !this.#instance.alive || this.#latencyFaults.size !== 0) return undefined;
    return this.#callDirectAttached(caller, operation, fields);
  }

  #callDirectAttached(caller, operation, fields) {
    const instance = this.#instance;
    if (instance.alive && !instance.hasDirect(operation)) return null;
    this.#checkAlive(instance);
    this.#directCalls++;
    const requestId = this.#nextRequestId();
    let answer;
    try {
      answer = instance.callDirect(
        this.#handle,
        operation,
        caller?.account ?? "",
        caller?.region ?? "",
        caller?.principal ?? "",
        fields,
        requestId,
      );
      if (this.#copy !== null) this.#keepCopy(instance);
    } catch (error) {
      throw this.#failure(instance, error);
    }
    answer.requestId = requestId;
    return answer;
  }

  /** How many calls took the direct path (tests use it to prove the path they mean to test ran). */
  get directCalls() {
    return this.#directCalls;
  }

  /**
   * Every KMS call the world answered, oldest first (the last 10,000 at most), in the SDK's shapes:
   * `{ time, operation, account, region, principal, input, output | error, requestId }`. `filter`
   * narrows them: `{ operation, keyId (any form of the key), account, region }`.
   */
  async calls(filter) {
    return (await this.#records(filter)).map(callOf);
  }

  /** Forgets the journal: calls() answers only the calls made after this. */
  async clearCalls() {
    await this.#adminCall("ClearCalls", "");
  }

  /** The journal's calls as CloudTrail records of KMS events (the same filter as calls()). */
  async cloudTrail(filter) {
    return (await this.#records(filter)).map(cloudTrailOf);
  }

  /**
   * An attestation document for a request's Recipient (Decrypt, GenerateDataKey, GenerateDataKeyPair,
   * DeriveSharedSecret, GenerateRandom), as a Nitro enclave gets one but signed through wasmkms's test
   * root, at the world's clock (valid three hours). options: publicKey (the enclave's RSA public key, DER
   * SubjectPublicKeyInfo), pcrs ({ 0: "hex", ... }; default PCR0-15 all zero), moduleId, userData, nonce.
   */
  async attestationDocument(options = {}) {
    const { publicKey, pcrs, moduleId, userData, nonce } = options;
    const body = JSON.stringify({
      PublicKey: blobOption(publicKey, "publicKey"),
      PCRs: pcrs,
      ModuleId: moduleId,
      UserData: blobOption(userData, "userData"),
      Nonce: blobOption(nonce, "nonce"),
    });
    return fromBase64((await this.#adminCall("AttestationDocument", body)).AttestationDocument);
  }

  /** Opens a CiphertextForRecipient with the enclave's private key (DER PKCS#8), as the enclave would. */
  async openForRecipient(privateKey, ciphertextForRecipient) {
    const body = JSON.stringify({
      PrivateKey: blobOption(privateKey, "privateKey"),
      CiphertextForRecipient: blobOption(ciphertextForRecipient, "ciphertextForRecipient"),
    });
    return fromBase64((await this.#adminCall("OpenForRecipient", body)).Plaintext);
  }

  /** The world's state (keys, aliases, grants, ...) as a plain object, for restore() or createWorld({ snapshot }). */
  async snapshot() {
    return this.#adminCall("ExportState", "");
  }

  /** Replaces the world's state with a snapshot (an object from snapshot(), or its JSON text). */
  async restore(snapshot) {
    await this.#adminCall("ImportState", documentText(snapshot, "restore's snapshot"));
  }

  /**
   * Starts the world again as createWorld made it: empty (then its snapshot and fixtures), no faults,
   * no journal, the seed's sequences from their start, a manual clock back at its starting instant.
   */
  reset() {
    const instance = this.#instance;
    this.#instance = null;
    if (instance?.alive) {
      try {
        instance.dropWorld(this.#handle);
      } catch {
        /* the instance is dead: nothing to drop */
      }
    }
    this.#handle = 0;
    this.#latencyFaults.clear();
    this.#copy = null;
    this.#manualNow = undefined;
    this.#epoch++;
    this.#startStreams();
  }

  #startStreams() {
    this.#requestIds = this.#seed === undefined ? null : seededStream(this.#seed, "requestId");
    this.#jitter = this.#seed === undefined ? null : seededStream(this.#seed, "retry jitter");
  }

  #nextRequestId() {
    return this.#requestIds === null ? randomRequestId() : nextUUID(this.#requestIds);
  }

  #checkAlive(instance) {
    if (!instance.alive) {
      throw new WasmKMSError(
        `wasmkms: this world was lost when its module instance trapped (${instance.deathCause}); ` +
          "call reset() to start it again, empty, on a fresh instance",
      );
    }
  }

  #callNow(caller, target, body, requestId) {
    const instance = this.#instance;
    this.#checkAlive(instance);
    try {
      const answer = instance.call(
        this.#handle,
        caller?.account ?? "",
        caller?.region ?? "",
        caller?.principal ?? "",
        target,
        body,
        requestId,
      );
      if (this.#copy !== null) this.#keepCopy(instance);
      return answer;
    } catch (error) {
      throw this.#failure(instance, error);
    }
  }

  // Attached to an instance that serves it: alive, or dead with nothing to rebuild from (a call then
  // says the world was lost).
  #attached() {
    const instance = this.#instance;
    return instance !== null && (instance.alive || this.#copy === null);
  }

  // After a call of a world that keeps a copy: its changes kept in the copy before anything else can
  // run on the instance (StateCopy.afterCall), after one read of the state flags (all there is when
  // there are none).
  #keepCopy(instance, handle = this.#handle) {
    const flags = instance.stateFlags();
    if (flags !== 0) this.#copy.afterCall(flags, instance, this.#adminOf(instance, handle));
  }

  // Another host takes the world's state log (WasmKMS.StateLog* through call()): each change is taken
  // once, so the world keeps no copy from now on, and a trap loses it as before (that host rebuilds it).
  #keepStateElsewhere() {
    this.#stateLogElsewhere = true;
    this.#copy = null;
  }

  // The error of a call that failed: when the instance died under it and the world keeps a copy, the
  // rebuild to come is said.
  #failure(instance, error) {
    if (instance.alive || this.#copy === null) return error;
    return new WasmKMSError(
      `wasmkms: the module trapped in ${instance.deathCause}; this call failed and what it did is undone. ` +
        "The world is rebuilt on a fresh module instance at its next call, as the calls answered before " +
        "this one left it (its faults and call journal are not kept); so is every other world of the instance",
      { cause: error },
    );
  }

  // One administration call straight to a world of an instance, for the copy (StateCopy's admin): the
  // answer's body, or a WasmKMSError with the core's message.
  #adminOf(instance, handle) {
    return (name, body) => {
      const answer = instance.call(handle, "", "", "", `WasmKMS.${name}`, body);
      if (answer.status !== 200) {
        throw new WasmKMSError(`wasmkms: WasmKMS.${name} refused: ${answerMessage(answer.body)}`);
      }
      return answer.body;
    };
  }

  // One WasmKMS.* administration call on the attached world, synchronous: its parsed answer, or a
  // WasmKMSError with the core's message.
  #adminNow(name, body) {
    const answer = this.#callNow(ADMIN_CALLER, `WasmKMS.${name}`, body);
    if (answer.status !== 200) {
      throw new WasmKMSError(`wasmkms: WasmKMS.${name} refused: ${answerMessage(answer.body)}`);
    }
    const parsed = answer.body === "" ? {} : JSON.parse(answer.body);
    if (name === "SetClock" || name === "AdvanceClock") this.#manualNow = parsed.now;
    return parsed;
  }

  async #adminCall(name, body) {
    while (!this.#attached()) await this.#attach();
    return this.#adminNow(name, body);
  }

  async #records(filter) {
    const body = JSON.stringify(pick(filter, FILTER_MEMBERS, "the calls filter"));
    return (await this.#adminCall("Calls", body)).calls;
  }

  // Keeps the set of latency faults right when they are added, removed or cleared through call().
  #noteAdminCall(target, body, answer) {
    if (answer.status !== 200) return;
    try {
      if (target === "WasmKMS.SetClock" || target === "WasmKMS.AdvanceClock") {
        this.#manualNow = JSON.parse(answer.body).now;
      } else if (target === "WasmKMS.AddFault" && JSON.parse(body).latencyMs > 0) {
        this.#latencyFaults.add(JSON.parse(answer.body).id);
      } else if (target === "WasmKMS.RemoveFault") {
        this.#latencyFaults.delete(JSON.parse(body).id);
      } else if (target === "WasmKMS.ClearFaults") {
        this.#latencyFaults.clear();
      }
    } catch {
      /* not JSON: the core refused it, or it changed no fault */
    }
  }

  // The latency owed by the call just made (synchronously after it, so that no other call's latency
  // is taken with it): 0 without latency faults. When none was owed, the set of latency faults is
  // refreshed (a fault with `times` is gone once used up).
  #takeLatency() {
    if (this.#latencyFaults.size === 0) return 0;
    const { ms } = this.#adminNow("TakeLatency", "");
    if (ms === 0) {
      const { faults } = this.#adminNow("ListFaults", "");
      this.#latencyFaults = new Set(faults.filter((f) => f.latencyMs > 0).map((f) => f.id));
    }
    return ms;
  }

  // Waits ms of the world's time: on a manual clock, advances it (no real time passes); else a real
  // timer.
  async #sleep(ms) {
    if (!(ms > 0)) return;
    while (!this.#attached()) await this.#attach();
    if (this.#adminNow("GetClock", "").manual) {
      this.#adminNow("AdvanceClock", JSON.stringify({ ms }));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  // Attaches the world to an instance: at its first call (or after reset()) a new world, made as
  // createWorld said; after a trap, the world rebuilt from its copy on a fresh instance.
  #attach() {
    this.#attaching ??= (async () => {
      try {
        const dead = this.#instance; // null, or the instance that trapped under a world that keeps a copy
        const epoch = this.#epoch;
        const instance =
          this.#wasm === undefined
            ? await sharedModuleInstance()
            : await ModuleInstance.instantiate(await compileFrom(this.#wasm));
        if (this.#instance !== dead || this.#epoch !== epoch) return; // reset() came meanwhile
        const handle = instance.newWorld(this.#config());
        try {
          if (dead === null) {
            this.#load(instance, handle, "ImportState", this.#snapshot, "snapshot");
            this.#load(instance, handle, "LoadFixtures", this.#fixtures, "fixtures");
            if (this.#recovery && !this.#stateLogElsewhere && instance.hasStateFlags) {
              this.#copy = StateCopy.of(this.#adminOf(instance, handle));
            }
          } else {
            this.#rebuild(instance, handle, dead);
          }
        } catch (error) {
          if (instance.alive) instance.dropWorld(handle);
          throw error;
        }
        this.#handle = handle;
        this.#instance = instance;
        this.#latencyFaults.clear();
      } finally {
        this.#attaching = null;
      }
    })();
    return this.#attaching;
  }

  // The world config, as wasmkms_world_new takes it. Only what differs from the module's defaults: a
  // default world's config is empty, and the module then parses none (its JSON decoding, first used
  // there, was a tenth of what V8 compiled again while the first calls ran: BENCHMARKS.md, warm start).
  #config() {
    const config = {};
    if (this.#freshRSAKeys) config.freshRSAKeys = true;
    if (this.#testHooks) config.testHooks = true;
    if (this.#seed !== undefined) config.seed = this.#seed;
    if (this.#clockStart !== undefined) config.clock = this.#clockStart;
    if (!this.#journal) config.journal = false;
    if (this.#allowAnyRegion) config.allowAnyRegion = true;
    if (!this.#hostCrypto) config.hostCrypto = false;
    return config;
  }

  // Puts the world back into a world just made on a fresh instance, after `dead` trapped: its copy
  // loaded, then its manual clock where it was (a clock only moves forwards; moving it may make due
  // deletions and rotations happen, which the copy takes).
  #rebuild(instance, handle, dead) {
    const admin = this.#adminOf(instance, handle);
    try {
      this.#copy.load(admin);
      if (this.#manualNow !== undefined) {
        admin("SetClock", JSON.stringify({ time: this.#manualNow }));
        this.#keepCopy(instance, handle);
      }
    } catch (error) {
      throw new WasmKMSError(
        `wasmkms: this world could not be rebuilt after its module instance trapped (${dead.deathCause}): ` +
          `${error?.message ?? error}; reset() starts it again, empty`,
        { cause: error },
      );
    }
  }

  // Loads createWorld's snapshot or fixtures into a world just made; a refusal is a WasmKMSError that
  // names what was refused and where (the core's message names the member's path).
  #load(instance, handle, target, text, what) {
    if (text === undefined) return;
    const answer = instance.call(handle, "", "", "", `WasmKMS.${target}`, text);
    if (answer.status !== 200) {
      throw new WasmKMSError(`wasmkms: createWorld's ${what} were refused: ${answerMessage(answer.body)}`);
    }
  }

  // Generates the key with WebCrypto (which runs key generation off the JS thread) and queues it in the
  // world, so the CreateKey right after it uses it and the module never generates one itself.
  async #supplyFreshRSAKey(caller, body) {
    let spec;
    try {
      const request = JSON.parse(body);
      spec = request?.KeySpec ?? request?.CustomerMasterKeySpec;
    } catch {
      return; // the module answers the malformed request
    }
    const bits = RSA_MODULUS_BITS[spec];
    if (bits === undefined) return;
    const pair = await crypto.subtle.generateKey(
      { name: "RSA-OAEP", modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["encrypt", "decrypt"],
    );
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    while (!this.#attached()) await this.#attach();
    const answer = this.#callNow(caller, SUPPLY_RSA_KEY, JSON.stringify({ PrivateKey: toBase64(pkcs8) }));
    if (answer.status !== 200) {
      throw new WasmKMSError(`wasmkms: the module refused a fresh ${spec} key: ${answer.body}`);
    }
  }
}

// clock.advance's argument in milliseconds: a number, or { days, hours, minutes, seconds }; forwards only.
function durationOf(by) {
  let ms;
  if (typeof by === "number") {
    ms = by;
  } else if (isPlainObject(by)) {
    ms = 0;
    for (const [unit, amount] of Object.entries(pick(by, Object.keys(DURATION_MS), "clock.advance's duration"))) {
      if (typeof amount !== "number") throw new TypeError(`wasmkms: clock.advance's ${unit} must be a number`);
      ms += amount * DURATION_MS[unit];
    }
  } else {
    throw new TypeError("wasmkms: clock.advance takes milliseconds or { days, hours, minutes, seconds }");
  }
  if (!Number.isFinite(ms)) throw new RangeError(`wasmkms: clock.advance by ${ms} ms: not a finite duration`);
  if (ms < 0) throw new RangeError(`wasmkms: clock.advance by ${ms} ms: the clock only moves forwards`);
  return ms;
}

/** Waits ms of a world's time before a retry (its manual clock advanced, or a real timer). */
export function sleepInWorld(world, ms) {
  if (typeof world?.[SLEEP] === "function") return world[SLEEP](ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A number in [0, 1) for a retry's jitter: from the seed in a seeded world, else Math.random(). */
export function jitterOf(world) {
  return typeof world?.[JITTER] === "function" ? world[JITTER]() : Math.random();
}

/**
 * The realm's shared world: every client uses it unless given another. One per global object, whichever
 * copy of the package (CommonJS or ESM) made it; it lives in that copy's module instance.
 */
export function sharedWorld() {
  if (!Object.hasOwn(globalThis, SHARED_WORLD)) {
    // Not enumerable: it does not show among the global object's keys (which DOM emulations copy).
    Object.defineProperty(globalThis, SHARED_WORLD, { value: new World(), configurable: true });
  }
  return globalThis[SHARED_WORLD];
}

/** An isolated world, e.g. one per parallel test. */
export function createWorld(options = {}) {
  return new World(options);
}

// blobOption is a byte option of an administration call as base64 (undefined stays absent).
function blobOption(value, name) {
  if (value === undefined || value === null) return undefined;
  // Realm-independent: a view or buffer from another realm (jsdom, a vm context) is as good.
  if (ArrayBuffer.isView(value)) return toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (Object.prototype.toString.call(value) === "[object ArrayBuffer]") return toBase64(new Uint8Array(value));
  throw new WasmKMSError(`wasmkms: ${name} must be a Uint8Array or an ArrayBuffer`);
}
