#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the CLI needs no build step.
// Kuvert pins its Node through npm (the `node` package puts Node 24 in node_modules/.bin, first on PATH in npm
// scripts), so `npm start` and `npm run kuvert -- …` use it whatever Node the machine has. Started directly on an
// older Node, say how to start it instead of failing somewhere deep in a library.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `Kuvert needs Node.js 24 or 26, this is ${process.version}. ` +
      'Start it through npm (npm start, npm run kuvert -- <command>), which uses the Node that npm ci installed ' +
      'in node_modules/.bin, or run node_modules/.bin/node bin/kuvert.js.\n',
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/main.ts');
