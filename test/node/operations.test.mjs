// js/core/operations.mjs against @aws-sdk/client-kms's own schemas (the members, blob, timestamp and
// sensitive members of every operation the package offers are exactly the SDK's), and against the core
// (the table holds exactly the operations the core answers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import { operations } from "wasmkms";

const require = createRequire(import.meta.url);
const sdk = require("@aws-sdk/client-kms");
const { NormalizedSchema } = require("@smithy/core/schema");

// Every blob, timestamp and sensitive member below a schema, as the table writes paths.
function walk(schema, path = "", found = { blobs: [], timestamps: [], sensitive: [] }) {
  const ns = NormalizedSchema.of(schema);
  if (path && ns.getMergedTraits().sensitive) found.sensitive.push(path);
  if (ns.isBlobSchema()) found.blobs.push(path);
  else if (ns.isTimestampSchema()) found.timestamps.push(path);
  else if (ns.isStructSchema())
    for (const [name, member] of ns.structIterator()) walk(member, path ? `${path}.${name}` : name, found);
  else if (ns.isListSchema()) walk(ns.getValueSchema(), `${path}[]`, found);
  else if (ns.isMapSchema()) walk(ns.getValueSchema(), `${path}{}`, found);
  return found;
}
const members = (schema) => [...NormalizedSchema.of(schema).structIterator()].map(([name]) => name);

for (const [operation, table] of Object.entries(operations)) {
  test(`${operation}: the SDK's members, blobs, timestamps and sensitive members`, () => {
    const schema = sdk[`${operation}$`];
    assert.ok(schema, `@aws-sdk/client-kms has no operation ${operation}`);
    const [, , , , input, output] = schema;
    const inFound = walk(input);
    const outFound = walk(output);
    assert.deepEqual(table.input, members(input), "input members");
    assert.deepEqual(table.output, members(output), "output members");
    assert.deepEqual(table.inputBlobs ?? [], inFound.blobs, "input blobs");
    assert.deepEqual(table.outputBlobs ?? [], outFound.blobs, "output blobs");
    assert.deepEqual(table.inputTimestamps ?? [], inFound.timestamps, "input timestamps");
    assert.deepEqual(table.outputTimestamps ?? [], outFound.timestamps, "output timestamps");
    assert.deepEqual(table.sensitiveInput ?? [], inFound.sensitive, "sensitive input");
    assert.deepEqual(table.sensitiveOutput ?? [], outFound.sensitive, "sensitive output");
  });
}

test("every operation of the table is one the core implements (none answers UnknownOperationException)", async () => {
  const { createWorld } = await import("wasmkms");
  const world = createWorld();
  for (const operation of Object.keys(operations)) {
    const answer = await world.call({}, `TrentService.${operation}`, "{}");
    const body = JSON.parse(answer.body);
    assert.notEqual(body.__type, "UnknownOperationException", `${operation} is in the table but not in the core`);
  }
});

test("every KMS operation the core implements is in the table (so the package has its command)", async () => {
  const { createWorld } = await import("wasmkms");
  const world = createWorld();
  const sdkOperations = Object.keys(sdk)
    .filter((k) => k.endsWith("Command") && k !== "$Command")
    .map((k) => k.slice(0, -7));
  assert.ok(sdkOperations.length > 40);
  const missing = [];
  for (const operation of sdkOperations) {
    const answer = await world.call({}, `TrentService.${operation}`, "{}");
    if (JSON.parse(answer.body).__type !== "UnknownOperationException" && !(operation in operations))
      missing.push(operation);
  }
  assert.deepEqual(
    missing,
    [],
    "add these to js/core/operations.mjs (members from the SDK's schemas, as the test above " +
      "checks), export their commands in commands.mjs and core/index.mjs, then run node js/build-types.mjs",
  );
});
