// Plain-JavaScript worker that runs xmllint-wasm's validateXML for memo-schema.ts. It exists so that the worker
// threads xmllint-wasm starts (one per validation) are children of a thread started with no execArgv: started from
// the app's main thread they would inherit its --import tsx and spend ~0.3 s loading the TypeScript loader each time.
import { parentPort } from 'node:worker_threads';
import { validateXML } from 'xmllint-wasm';

parentPort?.on('message', async ({ id, options }) => {
  try {
    const result = await validateXML({ ...options, modifyArguments: (args) => ['--nonet', ...args] });
    parentPort?.postMessage({ id, output: result.rawOutput });
  } catch (error) {
    // xmllint exited beyond "valid"/"invalid" (e.g. parse errors only): its stderr is the message.
    parentPort?.postMessage({ id, output: error instanceof Error ? error.message : String(error) });
  }
});
