// vitest 4: the same tests in the node, jsdom and happy-dom environments.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000, // the first call of a test file compiles the module: seconds on a busy machine
    projects: [
      { extends: true, test: { name: "node", environment: "node" } },
      { extends: true, test: { name: "jsdom", environment: "jsdom" } },
      { extends: true, test: { name: "happy-dom", environment: "happy-dom" } },
    ],
  },
});
