#!/usr/bin/env node
// The only place that exits: every path returns the exit code. This file is CommonJS (see
// package.json here): help, version and a plain `sign` run from dist/fast.cjs without the ES
// module loader, whose start-up alone costs about a third of bare node's; the rest runs main().
'use strict';
const { fastPath } = require('../dist/fast.cjs');

const done = (code) => {
  process.exitCode = code;
};
const fast = fastPath(process.argv);
if (fast) fast.then(done);
else import('../dist/main.js').then(({ main }) => main(process.argv)).then(done);
