// Reading a request's body for the endpoint (Node only): at most MAX_BODY_BYTES of it, which reaches the
// world; a larger one is refused with 413.
//
// The refusal waits until the client has sent its whole body, read and dropped here. Answering while
// the client still writes and then closing the connection (as the endpoint once did) makes the kernel
// reset it under a client that has not read the answer yet: the client sees a broken pipe instead of
// the 413, and the AWS SDKs retry a broken pipe as a network error, sending the body again. Dropping is
// bounded: past MAX_DISCARD_BYTES more (or a Content-Length that says so), the answer goes at once and
// the connection closes, whatever the client then sees.

// The largest request body the endpoint reads. KMS's own inputs stay far below it (the largest blob
// is 6144 bytes); anything bigger is refused before it reaches the world.
export const MAX_BODY_BYTES = 1024 * 1024;

// How much of a refused body the endpoint reads and drops so that the client gets its 413 cleanly.
export const MAX_DISCARD_BYTES = 64 * 1024 * 1024;

/**
 * readBody resolves, once the request's body is in (or refused), to one of:
 * - `{ body }`: the body's bytes, at most MAX_BODY_BYTES;
 * - `{ tooLarge: true, drained }`: the body is over MAX_BODY_BYTES; drained says whether the client
 *   sent all of it (read and dropped here), so that closing the connection after the answer is clean;
 * - `{ aborted: true }`: the client went away before the end.
 */
export function readBody(request) {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"]); // NaN when chunked
    if (declared > MAX_BODY_BYTES + MAX_DISCARD_BYTES) {
      resolve({ tooLarge: true, drained: false });
      return;
    }
    let chunks = [];
    let received = 0;
    let settled = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      request.off("data", onData);
      resolve(outcome);
    };
    const onData = (chunk) => {
      received += chunk.length;
      if (received <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      chunks = []; // refused: from here on only the count matters
      if (received > MAX_BODY_BYTES + MAX_DISCARD_BYTES) settle({ tooLarge: true, drained: false });
    };
    request.on("data", onData);
    request.once("end", () => {
      if (received > MAX_BODY_BYTES) settle({ tooLarge: true, drained: true });
      else settle({ body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
    });
    request.once("error", () => settle({ aborted: true }));
    request.once("close", () => settle({ aborted: true })); // after "end" this settles nothing
  });
}

/**
 * tooLargeUnread says whether a request that asks to send its body only once the server agrees
 * (`Expect: 100-continue`, as curl does above 1 MiB) declares a body the endpoint would refuse: then
 * it is refused before the client sends a byte of it.
 */
export function tooLargeUnread(request) {
  return Number(request.headers["content-length"]) > MAX_BODY_BYTES;
}
