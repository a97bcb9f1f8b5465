// The static server the browser tests use: the playground's server (web/serve.mjs) plus the folders
// the in-page test runners import (test/lib, test/browser, testdata/conformance).
import { startStaticServer } from "../../web/serve.mjs";

export { repoRoot } from "../../web/serve.mjs";

/** Starts it on 127.0.0.1 and a free port; `routes` adds exact paths served by functions. */
export function startTestServer(routes = {}) {
  return startStaticServer({ allow: ["js", "web", "test", "testdata"], routes });
}
