// Whether the endpoint can be reached from other machines (Node only). It holds test keys and hands
// out their material (GET /_wasmkms/snapshot), so listening beyond loopback is allowed only when named
// (--host) and then said aloud.

/** isLoopback: 127.0.0.0/8 and ::1, written as IPv4, IPv6 or IPv4 mapped into IPv6. */
export function isLoopback(address) {
  return /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(address) || address === "::1";
}

/**
 * exposureWarning is the warning line for an endpoint listening on `address`, or null on loopback.
 * `signaturesChecked`: --credentials was given, so callers must at least sign.
 */
export function exposureWarning(address, { signaturesChecked }) {
  if (isLoopback(address)) return null;
  return `wasmkms: warning: listening on ${address}, reachable from other machines: whoever reaches it can use its keys and read their material (GET /_wasmkms/snapshot)${signaturesChecked ? "" : ", and without --credentials nobody is asked who they are"}`;
}
