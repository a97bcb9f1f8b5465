// What the benchmarks measure with: the median, and the median per-call time of a function. A module of
// its own, under bench/lib/, so that `./build.sh bench` (which runs bench/*.mjs) does not run it.

export const SAMPLES = 31;

// The median of `values` (the upper one of an even count), leaving `values` as it is.
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Median per-call time in microseconds of `fn` (awaited), over SAMPLES batches of `batch` calls.
export async function perCall(fn, batch) {
  for (let i = 0; i < batch; i++) await fn(); // warm-up
  const samples = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    samples.push(((performance.now() - start) * 1000) / batch);
  }
  return median(samples);
}

// Median per-call times in microseconds of several functions (awaited) measured side by side: SAMPLES
// rounds, each a batch of `batch` calls of every function in turn, so that a loaded machine's slow
// spells fall on all of them alike and their ratios hold.
export async function perCallSideBySide(fns, batch) {
  for (const fn of fns) for (let i = 0; i < batch; i++) await fn(); // warm-up
  const samples = fns.map(() => []);
  for (let s = 0; s < SAMPLES; s++) {
    for (const [k, fn] of fns.entries()) {
      const start = performance.now();
      for (let i = 0; i < batch; i++) await fn();
      samples[k].push(((performance.now() - start) * 1000) / batch);
    }
  }
  return samples.map(median);
}

// Median CPU µs per call (the process's user + system time, so that a loaded machine slows every
// function alike) of each of `fns` (an object of functions, awaited), measured in turns: `rounds`
// rounds of a batch of `batch` calls of each. First each runs `warm.calls` times, or for `warm.ms`
// if that comes first: V8 tiers the module's code up over a fresh process's first calls.
export async function cpuPerCallInTurns(fns, { batch, rounds, warm }) {
  const times = Object.fromEntries(Object.keys(fns).map((name) => [name, []]));
  for (const fn of Object.values(fns)) {
    const start = performance.now();
    for (let i = 0; i < warm.calls && performance.now() - start < (warm.ms ?? Infinity); i++) await fn();
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = process.cpuUsage();
      for (let i = 0; i < batch; i++) await fn();
      const { user, system } = process.cpuUsage(start);
      times[name].push((user + system) / batch);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
}
