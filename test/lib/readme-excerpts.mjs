// The README's recipe sections show excerpts of files the tests run: every line of a snippet is a line
// of the file named (in backquotes) between it and the snippet before, in the file's order. A recipe
// cannot then drift from the code that is tested.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Asserts that every ```js snippet (or of the fences `languages` names) of the README section `title`
 * (its "## " heading, without the hashes) is an excerpt of a file under `folder` (a path from the
 * repository's root, ending in "/"); returns how many snippets there are.
 */
export async function assertReadmeExcerpts(title, folder, languages = ["js"]) {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README.md has a section '## ${title}'`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start + 1, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(new RegExp(`\`\`\`(?:${languages.join("|")})\n([\\s\\S]*?)\`\`\``, "g"))];
  const pathPattern = new RegExp(`\`(${folder.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}[^\`]+)\``, "g");
  let previousEnd = 0;
  for (const block of blocks) {
    const named = [...section.slice(previousEnd, block.index).matchAll(pathPattern)].at(-1);
    assert.ok(named, `no ${folder} file named before the snippet:\n${block[1]}`);
    const fileLines = (await readFile(join(root, named[1]), "utf8")).split("\n");
    let at = 0;
    for (const line of block[1].replace(/\n$/, "").split("\n")) {
      const found = fileLines.indexOf(line, at);
      assert.ok(found >= 0, `${named[1]} has no line ${JSON.stringify(line)} (in this order)`);
      at = found + 1;
    }
    previousEnd = block.index + block[0].length;
  }
  return blocks.length;
}
