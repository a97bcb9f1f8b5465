// ListKeys through the module's direct export (wasmkms_list_keys: the page's key IDs and the Region's ARN
// prefix instead of 13 KB of JSON) gives exactly what the JSON path gives: twin worlds with the same seed
// and clock, one with the direct path and one without, get the same sends, pages of every size, markers,
// refusals, an empty account, another Region, a deleted key, and must give the same outputs (the same
// text once JSON.stringify'd, $metadata included), the same errors, and the same journal.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as pkg from "wasmkms";

const { KMSClient, CreateKeyCommand, ListKeysCommand, ScheduleKeyDeletionCommand, paginateListKeys } = pkg;

function twins() {
  const options = { seed: "direct-list-keys", clock: "2027-03-01T12:00:00Z" };
  const direct = pkg.createWorld({ ...options, directPath: true });
  const generic = pkg.createWorld({ ...options, directPath: false });
  const clients = (region) => [new KMSClient({ region, world: direct }), new KMSClient({ region, world: generic })];
  return { direct, generic, clients };
}

// A send's outcome as text: the output with its members in order, or the error's name, message and own
// members but $response (an HTTP-like object either path builds for itself).
async function outcome(client, command) {
  try {
    return JSON.stringify(await client.send(command));
  } catch (error) {
    const members = {};
    for (const key of Object.keys(error).sort()) if (key !== "$response") members[key] = error[key];
    return JSON.stringify({ error: error.name, constructor: error.constructor.name, message: error.message, members });
  }
}

// Sends ListKeys on both twins; they must give the same text, the direct twin through its direct export
// (or through JSON for an input the export cannot carry: `viaJSON`). Answers the parsed outcome.
async function same(world, [viaDirect, viaJSON], input, { fallback = false } = {}) {
  const before = world.directCalls;
  const a = await outcome(viaDirect, new ListKeysCommand(input));
  const b = await outcome(viaJSON, new ListKeysCommand(input));
  assert.equal(a, b, `ListKeys ${JSON.stringify(input)}`);
  assert.equal(world.directCalls - before, fallback ? 0 : 1, `ListKeys ${JSON.stringify(input)}: the path taken`);
  return JSON.parse(a);
}

// Every page of the account, Limit by Limit, through both twins; answers the key IDs listed.
async function walk(world, pair, Limit) {
  const ids = [];
  let input = Limit === undefined ? {} : { Limit };
  for (;;) {
    const page = await same(world, pair, input);
    assert.ok(page.Keys, JSON.stringify(page));
    ids.push(...page.Keys.map((k) => k.KeyId));
    if (!page.Truncated) {
      assert.equal(page.NextMarker, undefined);
      return ids;
    }
    input = { ...input, Marker: page.NextMarker };
  }
}

const marker = (text) => Buffer.from(text).toString("base64url");

const refusals = {
  "Limit 0": { Limit: 0 },
  "Limit -1": { Limit: -1 },
  "Limit 1001": { Limit: 1001 },
  "the smallest int32": { Limit: -(2 ** 31) },
  "an empty marker": { Marker: "" },
  "a marker not handed out": { Marker: "nope" },
  "a marker too long": { Marker: "a".repeat(1025) },
  "a negative page": { Marker: marker("wasmkms-page:-1") },
  "both bad": { Limit: 0, Marker: "nope" },
};
const fallbacks = {
  "Limit 1.5": { Limit: 1.5 },
  "Limit 2^31": { Limit: 2 ** 31 },
  "Limit a string": { Limit: "5" },
  "a marker that is a number": { Marker: 5 },
  "a lone surrogate in the marker": { Marker: "\ud800" },
};

test("ListKeys' direct path answers as the JSON path: pages, markers, refusals, Regions, deletions", async () => {
  const { direct, generic, clients } = twins();
  const east = clients("us-east-1");
  const west = clients("eu-west-1");
  let sends = 0;
  const send = async (input, options) => {
    sends++;
    return same(direct, east, input, options);
  };

  // The empty account.
  assert.deepEqual((await send({})).Keys, []);
  assert.deepEqual(await walk(direct, east, 1), []);
  sends++;
  await send({ Marker: marker("wasmkms-page:5") }); // past the end: an empty last page
  for (const input of Object.values(refusals)) assert.ok((await send(input)).error);
  for (const input of Object.values(fallbacks)) await send(input, { fallback: true });

  // 23 keys here (multi-Region ones among them: mrk- IDs), 3 in another Region.
  const made = [];
  for (let i = 0; i < 23; i++) {
    const input = i % 5 === 2 ? { MultiRegion: true } : {};
    const [a, b] = await Promise.all(east.map((c) => c.send(new CreateKeyCommand(input))));
    assert.equal(a.KeyMetadata.KeyId, b.KeyMetadata.KeyId);
    made.push(a.KeyMetadata.KeyId);
  }
  for (let i = 0; i < 3; i++) for (const c of west) await c.send(new CreateKeyCommand({}));
  const limits = [undefined, 1, 2, 7, 22, 23, 24, 100, 1000];
  const everyPage = async (want) => {
    for (const Limit of limits) {
      const before = direct.directCalls;
      assert.deepEqual(await walk(direct, east, Limit), want, `Limit ${Limit}`);
      sends += direct.directCalls - before;
    }
    await send({ Marker: marker("wasmkms-page:1000") });
  };
  await everyPage(made);
  assert.equal((await same(direct, west, {})).Keys.length, 3);
  sends++;
  for (const input of Object.values(refusals)) assert.ok((await send(input)).error);
  for (const input of Object.values(fallbacks)) await send(input, { fallback: true });

  // A key pending deletion is listed; once deleted it is not, and keys made later follow.
  for (const c of east) await c.send(new ScheduleKeyDeletionCommand({ KeyId: made[4], PendingWindowInDays: 7 }));
  await everyPage(made);
  for (const world of [direct, generic]) await world.clock.advance({ days: 8 });
  const left = made.filter((id) => id !== made[4]);
  await everyPage(left);
  for (let i = 0; i < 3; i++) {
    const [a] = await Promise.all(east.map((c) => c.send(new CreateKeyCommand({}))));
    left.push(a.KeyMetadata.KeyId);
  }
  await everyPage(left);

  // The SDK's paginator, as a user pages: the same pages.
  const pages = async (client) => {
    const out = [];
    for await (const page of paginateListKeys({ client, pageSize: 5 }, {})) out.push(JSON.stringify(page));
    return out;
  };
  const before = direct.directCalls;
  const [a, b] = [await pages(east[0]), await pages(east[1])];
  assert.deepEqual(a, b);
  assert.equal(direct.directCalls - before, a.length);
  assert.equal(generic.directCalls, 0);

  const calls = await direct.calls();
  assert.ok(calls.length >= sends, `the journal holds ${calls.length} calls for ${sends} sends`);
  assert.deepStrictEqual(calls, await generic.calls(), "world.calls()");
  assert.deepStrictEqual(await direct.cloudTrail(), await generic.cloudTrail(), "world.cloudTrail()");
});
