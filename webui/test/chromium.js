// How the web UI's tests start a browser: headless Debian Chromium (never a downloaded one), with the
// same flags for the browser tests (harness.js) and the follow conformance driver (follow-driver.js).

/** @type {import('playwright-core').LaunchOptions} */
export const LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};
