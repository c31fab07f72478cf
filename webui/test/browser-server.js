// One headless Chromium for many follow-driver.js runs (WebUiFollowConformanceTest starts it once for
// the suite: a browser takes seconds to start on a busy machine, a new context in it does not).
// Writes `ws<TAB>endpoint` on stdout once it listens; stops on SIGTERM or when stdin closes.
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS } from './chromium.js';

const server = await chromium.launchServer({ ...LAUNCH_OPTIONS, handleSIGTERM: false, handleSIGINT: false });
process.stdout.write(`ws\t${server.wsEndpoint()}\n`);

let stopping = false;
async function stop() {
  if (!stopping) {
    stopping = true;
    await server.close().catch(() => {});
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
