// Launches Debian's Chromium through playwright-core, headless, with a fresh profile.
// When the browser is missing, a test in CI must fail (never a silent skip): see chromiumOrSkip.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const chromiumPath = process.env.WASMKMS_CHROMIUM ?? "/usr/bin/chromium";

// Quiet, offline, reproducible: no background traffic, no GPU, no sandbox (tests run as root).
const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Returns the reason the browser cannot run here, or null when it can.
 * In CI (process.env.CI set) a missing browser throws, so the calling test fails.
 */
export function chromiumMissing() {
  if (existsSync(chromiumPath)) return null;
  const reason = `Chromium not found at ${chromiumPath} (install Debian's chromium, or set WASMKMS_CHROMIUM)`;
  if (process.env.CI) throw new Error(reason);
  return reason;
}

/**
 * Starts Chromium with a fresh --user-data-dir (playwright's persistent context is the way it
 * accepts one). Resolves to { context, page, close() }; close() also removes the profile.
 */
export async function launchChromium() {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const userDataDir = await mkdtemp(join(tmpdir(), "wasmkms-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumFlags,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Collects the page's console errors and uncaught exceptions, for failure messages. */
export function collectPageErrors(page) {
  const errors = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console.error: ${msg.text()}`);
  });
  return errors;
}
