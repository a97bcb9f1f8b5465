// The README's "Other runtimes" recipes cannot drift from what the bundler tests run: every snippet
// (JavaScript, the shell commands, wrangler.toml) is an excerpt of the test/bundlers/ file named before it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertReadmeExcerpts } from "../lib/readme-excerpts.mjs";

test("the README's bundler and edge-runtime recipes are excerpts of test/bundlers/ files", async () => {
  const snippets = await assertReadmeExcerpts("Other runtimes", "test/bundlers/", ["js", "sh", "toml"]);
  assert.ok(snippets >= 5, `${snippets} snippets`);
});
