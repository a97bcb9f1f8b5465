// The README's "Recipes: the test controls" shows excerpts of the recipes in this folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertReadmeExcerpts } from "../lib/readme-excerpts.mjs";

test("the README's test-control recipes are excerpts of test/recipes/", async () => {
  const snippets = await assertReadmeExcerpts("Recipes: the test controls", "test/recipes/", ["js", "go", "yaml"]);
  assert.ok(snippets >= 5, `${snippets} snippets`);
});
