#!/usr/bin/env node
'use strict';
// A closed pipe (e.g. `radnomo stats --help | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0);
  throw e;
});
require('../dist/src/cli/main.js').main(process.argv).then((code) => {
  process.exitCode = code;
});
