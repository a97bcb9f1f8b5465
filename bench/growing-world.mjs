// What recovery's copy costs a world that only grows, in all (issue 15): CreateKey after CreateKey on
// a default world and on one made with recovery: false, in chunks of calls taken in turns, the CPU time
// of every call summed (create-key.mjs and ab-packages.mjs answer medians of batches, which leave out
// the batch in which the copy is written whole again). The mean per key, each world's, and their
// ratio; KEYS keys each (default 30,000), after WARM (3,000).
//   node bench/growing-world.mjs
//   node bench/growing-world.mjs <js/node.mjs>...   (copies of the package, each in turn)
import { resolve } from "node:path";

const KEYS = Number(process.env.KEYS ?? 30000);
const WARM = Number(process.env.WARM ?? 3000);
const CHUNK = 500;

const entries = process.argv.slice(2);
const packages = entries.length > 0 ? entries.map((entry) => resolve(entry)) : ["wasmkms"];
const worlds = [];
for (const entry of packages) {
  const pkg = await import(entry);
  for (const recovery of [true, false]) {
    const client = new pkg.KMSClient({ region: "us-east-1", world: pkg.createWorld({ recovery }) });
    const send = () => client.send(new pkg.CreateKeyCommand({}));
    for (let i = 0; i < WARM; i++) await send();
    worlds.push({ name: `${entries.length > 0 ? `${entry} ` : ""}recovery: ${recovery}`, send, cpu: 0 });
  }
}
for (let made = 0; made < KEYS; made += CHUNK) {
  for (const world of made % (2 * CHUNK) ? [...worlds].reverse() : worlds) {
    const start = process.cpuUsage();
    for (let i = 0; i < CHUNK; i++) await world.send();
    const { user, system } = process.cpuUsage(start);
    world.cpu += user + system;
  }
}
console.log(`CreateKey SYMMETRIC_DEFAULT, ${KEYS} keys after ${WARM} on each world, µs of CPU a key (the mean):`);
for (let i = 0; i < worlds.length; i += 2) {
  const [copy, none] = [worlds[i], worlds[i + 1]];
  console.log(
    `  ${copy.name} ${(copy.cpu / KEYS).toFixed(1)} | ${none.name} ${(none.cpu / KEYS).toFixed(1)} | ÷ ${(copy.cpu / none.cpu).toFixed(2)}`,
  );
}
