#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { main } from '../dist/cli/main.js';
import { endQuietlyOnBrokenPipe } from '../dist/cli/stdout-pipe.js';

endQuietlyOnBrokenPipe();

process.exitCode = await main(process.argv);
