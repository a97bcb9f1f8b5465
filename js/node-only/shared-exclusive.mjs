// A shared/exclusive lock for async work (Node only): any number of shared holders at once, or one
// exclusive holder alone. The endpoint runs each call with its state log take shared, and what must see
// the world still (compaction writing the world whole, a world put back from its file) exclusive.
// Exclusive requests go first: once one waits, new shared holders wait behind it.

export class SharedExclusiveLock {
  #shared = 0;
  #exclusive = false;
  #queue = []; // { exclusive, resolve }, in arrival order

  /** shared runs fn while no exclusive holder runs, and resolves to its result. */
  async shared(fn) {
    await this.#acquire(false);
    try {
      return await fn();
    } finally {
      this.#shared--;
      this.#wake();
    }
  }

  /** exclusive runs fn alone, once every holder before it is done, and resolves to its result. */
  async exclusive(fn) {
    await this.#acquire(true);
    try {
      return await fn();
    } finally {
      this.#exclusive = false;
      this.#wake();
    }
  }

  #acquire(exclusive) {
    if (this.#queue.length === 0 && this.#free(exclusive)) {
      this.#take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push({ exclusive, resolve }));
  }

  #free(exclusive) {
    return !this.#exclusive && (!exclusive || this.#shared === 0);
  }

  #take(exclusive) {
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
  }

  #wake() {
    while (this.#queue.length > 0 && this.#free(this.#queue[0].exclusive)) {
      const next = this.#queue.shift();
      this.#take(next.exclusive);
      next.resolve();
    }
  }
}
