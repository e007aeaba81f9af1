// The `owa-audit` program: what bin/owa-audit.js runs, through the bundle built from this file
// (tools/bundle-cli.mjs) or, when there is no current bundle, as compiled.
import { main } from './main.js';
import { endQuietlyOnBrokenPipe } from './stdout-pipe.js';

endQuietlyOnBrokenPipe();

process.exitCode = await main(process.argv);
