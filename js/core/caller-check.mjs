// The in-process clients' check of the account and Region they call as. The core decides what it takes
// (internal/kms/callers.go: a Region of AWS's partitions, or any host label in a world made with
// allowAnyRegion; an account of 12 digits). The real SDK refuses a Region it cannot use before it
// sends anything ("Region is missing", `Region not accepted: region="a b" is not a valid hostname
// component.`), and a Region with no KMS endpoint fails it before AWS answers: so KMSClient asks the
// core once per world and caller, and throws the core's text as the SDK throws its own, a plain Error.
// (On the wire, the core answers such a caller as AWS answers a credential scoped to it.)
// Runtime-neutral.

const CHECK_CALLER = "WasmKMS.CheckCaller";
const MAX_REMEMBERED = 256; // callers remembered per world: a bound, whatever Regions a test makes up

/** @type {WeakMap<object, Set<string>>} the callers each world accepted */
const accepted = new WeakMap();

/**
 * checkCaller(world, caller) resolves when the world takes calls from `caller` ({ account, region }),
 * and rejects with an Error naming the account or Region, and why, when it does not.
 */
export async function checkCaller(world, caller) {
  const key = `${caller.account}\u0000${caller.region}`;
  let known = accepted.get(world);
  if (known?.has(key)) return;
  const answer = await world.call(caller, CHECK_CALLER, "");
  if (answer.status !== 200) throw new Error(refusalText(answer.body));
  if (known === undefined) {
    known = new Set();
    accepted.set(world, known);
  }
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.add(key);
}

function refusalText(body) {
  try {
    return JSON.parse(body).message;
  } catch {
    return `wasmkms: the caller was refused: ${body}`;
  }
}
