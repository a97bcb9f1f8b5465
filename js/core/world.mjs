// Worlds: what every public surface (KMSClient, the SDK request handler, the endpoint) calls. A world is
// one simulated AWS (every account and region), living in a module instance. All clients of a realm
// share sharedWorld() by default, like one AWS; createWorld() gives an isolated one for parallel tests.

import { compileFrom, sharedModuleInstance } from "./loader.mjs";
import { ModuleInstance, WasmKMSError } from "./module.mjs";
import { toBase64 } from "./base64.mjs";

const CREATE_KEY = "TrentService.CreateKey";
const SUPPLY_RSA_KEY = "WasmKMS.SupplyRSAKey";
const RSA_MODULUS_BITS = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/**
 * A World answers AWS JSON 1.1 requests. It attaches to its module instance on the first call.
 *
 * If the instance traps (the module itself is broken), the world's state is lost with it: every later
 * call rejects with a WasmKMSError saying so, until reset() starts the world again, empty, on a fresh
 * instance. A world never silently comes back empty.
 */
export class World {
  #freshRSAKeys;
  #testHooks;
  #directPath;
  #directCalls = 0;
  #wasm;
  #instance = null; // ModuleInstance once attached
  #handle = 0;
  #attaching = null;

  /**
   * options.freshRSAKeys: CreateKey of an RSA spec uses a key generated just then by the host's
   * WebCrypto (off the JS thread) instead of the module's fast pool of test keys.
   * options.wasm: a module source (as configure({ wasm }) takes) for this world alone; by default the
   * world lives in the realm's shared instance.
   * options.testHooks: enables the module's WasmKMS.Panic target (a panic on purpose), for tests that
   * prove a Go panic is answered as KMSInternalException and the instance keeps serving.
   * options.directPath (default true): let
   * KMSClient send Encrypt and Decrypt through the module's direct exports (no JSON, no base64) when
   * the module has them. Both paths answer identically; false forces the generic call, for tests.
   */
  constructor({ freshRSAKeys = false, testHooks = false, wasm, directPath = true } = {}) {
    this.#freshRSAKeys = Boolean(freshRSAKeys);
    this.#testHooks = Boolean(testHooks);
    this.#directPath = Boolean(directPath);
    this.#wasm = wasm;
  }

  get options() {
    return { freshRSAKeys: this.#freshRSAKeys };
  }

  /**
   * call(caller, target, body): caller is `{ account, region, principal }` (absent members take the
   * defaults), target e.g. "TrentService.Encrypt", body the JSON request text. Resolves to
   * `{ status, body }` with the JSON answer text.
   */
  async call(caller, target, body) {
    if (this.#freshRSAKeys && target === CREATE_KEY) await this.#supplyFreshRSAKey(caller, body);
    while (this.#instance === null) await this.#attach(); // again if reset() came while attaching
    return this.#callNow(caller, target, body);
  }

  /**
   * callDirect(caller, operation, fields): Encrypt or Decrypt through the module's direct export (see
   * ModuleInstance.callDirect for `fields` and the answer). Resolves to null when this world does not
   * take the direct path (directPath false, or a module without the export): the caller then uses
   * call() with the JSON body.
   */
  async callDirect(caller, operation, fields) {
    if (!this.#directPath) return null;
    while (this.#instance === null) await this.#attach();
    const instance = this.#instance;
    if (instance.alive && !instance.hasDirect(operation)) return null;
    this.#checkAlive(instance);
    this.#directCalls++;
    return instance.callDirect(
      this.#handle,
      operation,
      caller?.account ?? "",
      caller?.region ?? "",
      caller?.principal ?? "",
      fields,
    );
  }

  /** How many calls took the direct path (tests use it to prove the path they mean to test ran). */
  get directCalls() {
    return this.#directCalls;
  }

  /** Forgets every key and alias: the next call sees an empty world. */
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
  }

  #checkAlive(instance) {
    if (!instance.alive) {
      throw new WasmKMSError(
        `wasmkms: this world was lost when its module instance trapped (${instance.deathCause}); ` +
          "call reset() to start it again, empty, on a fresh instance",
      );
    }
  }

  #callNow(caller, target, body) {
    const instance = this.#instance;
    this.#checkAlive(instance);
    return instance.call(
      this.#handle,
      caller?.account ?? "",
      caller?.region ?? "",
      caller?.principal ?? "",
      target,
      body,
    );
  }

  #attach() {
    this.#attaching ??= (async () => {
      try {
        const instance =
          this.#wasm === undefined
            ? await sharedModuleInstance()
            : await ModuleInstance.instantiate(await compileFrom(this.#wasm));
        if (this.#instance === null) {
          this.#handle = instance.newWorld({ freshRSAKeys: this.#freshRSAKeys, testHooks: this.#testHooks });
          this.#instance = instance;
        }
      } finally {
        this.#attaching = null;
      }
    })();
    return this.#attaching;
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
    while (this.#instance === null) await this.#attach();
    const answer = this.#callNow(caller, SUPPLY_RSA_KEY, JSON.stringify({ PrivateKey: toBase64(pkcs8) }));
    if (answer.status !== 200) {
      throw new WasmKMSError(`wasmkms: the module refused a fresh ${spec} key: ${answer.body}`);
    }
  }
}

let shared = null;

/** The realm's shared world: every client uses it unless given another. */
export function sharedWorld() {
  shared ??= new World();
  return shared;
}

/** An isolated world, e.g. one per parallel test. */
export function createWorld(options = {}) {
  return new World(options);
}
