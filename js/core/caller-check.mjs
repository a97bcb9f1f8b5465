// The in-process clients' check of the account and Region they call as. The core decides what it takes
// (internal/kms/callers.go: a Region of AWS's partitions, or any host label in a world made with
// allowAnyRegion; an account of 12 digits). The real SDK refuses a Region it cannot use before it
// sends anything ("Region is missing", `Region not accepted: region="a b" is not a valid hostname
// component.`), and a Region with no KMS endpoint fails it before AWS answers: so KMSClient asks the
// core once per world and caller, and throws the core's text as the SDK throws its own, a plain Error.
// (On the wire, the core answers such a caller as AWS answers a credential scoped to it.) The core's
// answer also names the Region a FIPS pseudo-Region (`us-east-1-fips`) calls, as the SDK resolves it to
// its Region and the FIPS endpoint: the client calls as that caller. Runtime-neutral.

const CHECK_CALLER = "WasmKMS.CheckCaller";
const MAX_REMEMBERED = 256; // callers remembered per world: a bound, whatever Regions a test makes up

/** @type {WeakMap<object, Map<string, object>>} the callers each world accepted, and the caller each calls as */
const accepted = new WeakMap();
/** @type {WeakMap<object, WeakMap<object, object>>} the same by caller object, known without a string */
const acceptedObjects = new WeakMap();

/**
 * The caller to call as when `world` already accepted this very `caller` object (checkCaller resolved
 * for it), else undefined: a client's static caller is checked once, then known at once.
 */
export function acceptedCaller(world, caller) {
  return acceptedObjects.get(world)?.get(caller);
}

/**
 * checkCaller(world, caller) resolves to the caller to call as when the world takes calls from `caller`
 * ({ account, region, principal }): `caller` itself, or a copy in the Region of its FIPS pseudo-Region;
 * it rejects with an Error naming the account or Region, and why, when the world does not.
 */
export async function checkCaller(world, caller) {
  const key = `${caller.account}\u0000${caller.region}\u0000${caller.principal}`;
  let known = accepted.get(world);
  const remembered = known?.get(key);
  if (remembered !== undefined) return rememberObject(world, caller, remembered);
  const answer = await world.call(caller, CHECK_CALLER, "");
  if (answer.status !== 200) throw new Error(refusalText(answer.body));
  const region = JSON.parse(answer.body).Region;
  const callAs = region === undefined ? caller : Object.freeze({ ...caller, region });
  if (known === undefined) {
    known = new Map();
    accepted.set(world, known);
  }
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(key, callAs);
  return rememberObject(world, caller, callAs);
}

function rememberObject(world, caller, callAs) {
  let objects = acceptedObjects.get(world);
  if (objects === undefined) {
    objects = new WeakMap();
    acceptedObjects.set(world, objects);
  }
  objects.set(caller, callAs);
  return callAs;
}

function refusalText(body) {
  try {
    return JSON.parse(body).message;
  } catch {
    return `wasmkms: the caller was refused: ${body}`;
  }
}
