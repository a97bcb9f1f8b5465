// A world's state kept outside its module instance, so that a trap does not lose it (world.mjs rebuilds
// the world from it on a fresh instance). It is the core's state log (internal/kms/statelog*.go), held
// in memory as the endpoint holds it in a file (js/node-only/state-log.mjs): the world written whole
// (WasmKMS.StateLogExport), then the record of each change appended (taken by the module at the end of
// the call that made it and read out of its memory, or WasmKMS.StateLogTake), and the world written
// whole again when the module says its log is outgrown (STATE_LOG_OUTGROWN: its records replaced or
// removed more than three times what the world holds): a world that only grows (CreateKey after
// CreateKey) has nothing to compact, and is not written whole again (a writing whole of it cost more
// than its records, each key again and again); one that changes the same keys over and over stays
// within about four times its size. Records past COMPACT_BACKSTOP times the writing whole (and 64 MiB)
// write it whole too, whatever the module says (a module without the flag).
// The pieces are kept as the module answers them, as strings: they are sent back as they are when the
// world is rebuilt. (Records kept as bytes in blocks instead, copied out of the module's memory
// without decoding, cost a CreateKey no less, and a new world's first change some 40-60 µs more among
// many worlds: V8's work for many live ArrayBuffers.)
//
import { STATE_CHANGED, STATE_LOG_OUTGROWN, STATE_RECORD_TAKEN } from "./module.mjs";

// `admin(target, body)` is one administration call on the world (synchronous): the answer's body, or
// a throw. Nothing here waits: a take runs right after the call whose change it takes, before any
// other call can reach the instance (and trap it).

const EXPORT_PIECE = 1 << 20; // bytes of the world per StateLogExport
const LOAD_PIECE = 1 << 20; // about this many bytes of records per StateLogLoad when rebuilding
const COMPACT_BACKSTOP = 16; // the world is written whole once its records are this many times its writing
const COMPACT_MIN = 64 << 20; // ... and at least this many characters (a growing world: some 150,000 keys)
// Every take asks the module to take each later change at the end of the call that made it, and to
// leave its record in the state area (wasm/ABI.md, "State flags"): no call of its own after a CreateKey.
// A writing whole (an export) or a load begins the log again, without it: a take right after asks again.
const TAKE = JSON.stringify({ eachCall: true });
const TAKE_USAGE = JSON.stringify({ usage: true, eachCall: true });
// A world with last uses (or seeded draws) waiting takes them after this many calls at most: what a
// trap can lose of them (a take after each Encrypt would cost as much as the Encrypt).
const USAGE_TAKE_CALLS = 1024;

export class StateCopy {
  #whole = []; // the world written whole: the export's pieces
  #wholeLength = 0;
  #records = []; // then the records taken since
  #recordsLength = 0;
  #usageCalls = 0; // calls since last uses began to wait for a take

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
   * afterCall keeps what the call just made changed (`flags`: the instance's state flags, nonzero):
   * the record the module took at the call's end, or a take's. Last uses wait for a change, or for
   * USAGE_TAKE_CALLS calls. It runs before anything else can run on the instance (a take that traps
   * fails the call it follows: its change is in no copy, so it was not made).
   */
  afterCall(flags, instance, admin) {
    if ((flags & STATE_RECORD_TAKEN) !== 0) {
      this.#usageCalls = 0;
      this.#keep(instance.takenRecord(), admin); // with the last uses: a change takes them too
      flags &= ~STATE_RECORD_TAKEN; // the rest is what the take left
      if (flags === 0) return;
    }
    if ((flags & STATE_LOG_OUTGROWN) !== 0) {
      this.#usageCalls = 0;
      this.#writeWhole(admin); // the world as it is now: its changes and last uses with it
      return;
    }
    const changed = (flags & STATE_CHANGED) !== 0;
    if (!changed && ++this.#usageCalls < USAGE_TAKE_CALLS) return;
    this.#usageCalls = 0;
    this.take(admin, !changed); // a change takes the last uses too
  }

  /**
   * take appends the world's changes since the last take (with its last uses and seeded draws when
   * `usage`); a world replaced as a whole (ImportState) is written whole.
   */
  take(admin, usage) {
    const body = admin("StateLogTake", usage ? TAKE_USAGE : TAKE);
    const newline = body.indexOf("\n");
    const { replaced } = JSON.parse(body.slice(0, newline));
    if (replaced) {
      this.#writeWhole(admin);
      return;
    }
    if (newline + 1 === body.length) return;
    this.#keep(body.slice(newline + 1), admin);
  }

  // Appends one record taken; the world is written whole instead once its records are past the
  // backstop.
  #keep(record, admin) {
    this.#records.push(record);
    this.#recordsLength += record.length;
    if (this.#recordsLength > Math.max(COMPACT_BACKSTOP * this.#wholeLength, COMPACT_MIN)) this.#writeWhole(admin);
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
    admin("StateLogTake", TAKE); // takes nothing: the load began the log
    this.#usageCalls = 0;
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
    admin("StateLogTake", TAKE); // takes nothing: the export began the log
  }
}
