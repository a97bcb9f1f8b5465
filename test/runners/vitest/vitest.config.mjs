// vitest 4: the same tests in the node, jsdom and happy-dom environments.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: "node", environment: "node" } },
      { extends: true, test: { name: "jsdom", environment: "jsdom" } },
      { extends: true, test: { name: "happy-dom", environment: "happy-dom" } },
    ],
  },
});
