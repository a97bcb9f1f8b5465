// jest 30: the same tests in Node and in jsdom, as CommonJS and as ESM (ESM needs
// node --experimental-vm-modules). Under jsdom, require("wasmkms") resolves the package's browser
// condition (dist/browser.cjs) and import resolves js/browser.mjs; both read the module from the package.
module.exports = {
  testTimeout: 30_000, // the first call of a test file compiles the module: seconds on a busy machine
  projects: [
    { displayName: "node-cjs", testEnvironment: "node", testMatch: ["<rootDir>/*.test.cjs"] },
    { displayName: "jsdom-cjs", testEnvironment: "jsdom", testMatch: ["<rootDir>/*.test.cjs"] },
    { displayName: "node-esm", testEnvironment: "node", testMatch: ["<rootDir>/*.test.mjs"] },
    { displayName: "jsdom-esm", testEnvironment: "jsdom", testMatch: ["<rootDir>/*.test.mjs"] },
  ],
};
