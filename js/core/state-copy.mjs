// A world's state kept outside its module instance, so that a trap does not lose it (world.mjs rebuilds
// the world from it on a fresh instance). It is the core's state log (internal/kms/statelog*.go), held
// in memory as the endpoint holds it in a file (js/node-only/state-log.mjs): the world written whole
// (WasmKMS.StateLogExport), then the record of each change appended (WasmKMS.StateLogTake), and the
// world written whole again once the records are three times its size (and 1 MiB): a world that only
// grows (CreateKey after CreateKey) has nothing to compact, and each writing of it costs what its
// records did, so it is written whole seldom; one that changes the same keys over and over stays
// within four times its size. The pieces are kept as the module answers them, as strings: they are sent back as they
// are when the world is rebuilt.
//
// `admin(target, body)` is one administration call on the world (synchronous): the answer's body, or
// a throw. Nothing here waits: a take runs right after the call whose change it takes, before any
// other call can reach the instance (and trap it).

const EXPORT_PIECE = 1 << 20; // bytes of the world per StateLogExport
const LOAD_PIECE = 1 << 20; // about this many bytes of records per StateLogLoad when rebuilding
const COMPACT_RATIO = 3; // the world is written whole once its records are this many times its size
const COMPACT_MIN = 1 << 20; // ... and at least this many characters
const TAKE_USAGE = JSON.stringify({ usage: true });

export class StateCopy {
  #whole = []; // the world written whole: the export's pieces
  #wholeLength = 0;
  #records = []; // then the records taken since
  #recordsLength = 0;

  /** A copy of the world as it is now: written whole (which begins the world's log there). */
  static of(admin) {
    const copy = new StateCopy();
    copy.#writeWhole(admin);
    return copy;
  }

  /** Characters held (the whole writing and the records after it). */
  get length() {
    return this.#wholeLength + this.#recordsLength;
  }

  /**
   * take appends the world's changes since the last take (with its last uses and seeded draws when
   * `usage`); a world replaced as a whole (ImportState) is written whole, as is one whose records have
   * outgrown its whole writing.
   */
  take(admin, usage) {
    const body = admin("StateLogTake", usage ? TAKE_USAGE : "");
    const newline = body.indexOf("\n");
    const { replaced } = JSON.parse(body.slice(0, newline));
    if (replaced) {
      this.#writeWhole(admin);
      return;
    }
    if (newline + 1 === body.length) return;
    const record = body.slice(newline + 1);
    this.#records.push(record);
    this.#recordsLength += record.length;
    if (this.#recordsLength > Math.max(COMPACT_RATIO * this.#wholeLength, COMPACT_MIN)) this.#writeWhole(admin);
  }

  /** load puts the copy into a world just made (WasmKMS.StateLogLoad*), which replaces its state. */
  load(admin) {
    admin("StateLogLoadBegin", "");
    for (const piece of this.#whole) admin("StateLogLoad", piece);
    for (let i = 0; i < this.#records.length; ) {
      let batch = this.#records[i++];
      while (i < this.#records.length && batch.length + this.#records[i].length <= LOAD_PIECE) {
        batch += this.#records[i++];
      }
      admin("StateLogLoad", batch);
    }
    admin("StateLogLoadEnd", "");
  }

  // The world whole, in pieces of the same export (the world cannot change between them: they run
  // one after the other, synchronously).
  #writeWhole(admin) {
    const pieces = [];
    let length = 0;
    for (let first = true; ; first = false) {
      const body = admin("StateLogExport", JSON.stringify({ first, budget: EXPORT_PIECE }));
      const newline = body.indexOf("\n");
      const { done } = JSON.parse(body.slice(0, newline));
      const piece = body.slice(newline + 1);
      pieces.push(piece);
      length += piece.length;
      if (done) break;
    }
    this.#whole = pieces;
    this.#wholeLength = length;
    this.#records = [];
    this.#recordsLength = 0;
  }
}
