// The README's "Recipes: application code under test" shows excerpts of the recipes in this folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertReadmeExcerpts } from "../lib/readme-excerpts.mjs";

test("the README's application-code recipes are excerpts of test/recipes/", async () => {
  const snippets = await assertReadmeExcerpts("Recipes: application code under test", "test/recipes/");
  assert.ok(snippets >= 6, `${snippets} snippets`);
});
