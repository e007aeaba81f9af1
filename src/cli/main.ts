// Entry point of the `owa-audit` command. Each subcommand lives in its own module under
// commands/; this file only wires them and maps failures to exit statuses (README "Command line":
// 0 done, 2 bad input, 1 anything else).
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../util/version.js';
import { isInputError } from '../core/errors.js';
import { registerScan } from './commands/scan.js';
import { registerReport } from './commands/report.js';
import { registerClassify } from './commands/classify.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerMerge } from './commands/merge.js';
import { registerData } from './commands/data.js';
import { registerHistory } from './commands/history.js';
import { registerReclassify } from './commands/reclassify.js';

export function buildProgram(): Command {
  const program = new Command('owa-audit')
    .version(TOOL_VERSION)
    .description(
      // One sentence: commander wraps descriptions itself, an embedded newline breaks its layout.
      'Find Microsoft Exchange servers in an authorised scope, read their build without logging in, ' +
        'and report how far behind on security updates each one is.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScan(program);
  registerReport(program);
  registerClassify(program);
  registerDemo(program);
  registerDiff(program);
  registerMerge(program);
  registerData(program);
  registerHistory(program);
  registerReclassify(program);
  program.addHelpText(
    'after',
    `
Examples:
  owa-audit demo                               scan the built-in simulated fleet and write a report
  owa-audit scan scans/org-perimeter.yaml      scan what the scan file authorises
  owa-audit classify 15.1.2507.6               what is this build, and what does it miss?
  owa-audit report scans/runs/<run>            (re)write the HTML/PDF/CSV reports of a run

Exit status: 0 done, 2 bad input (the message names file, line and field), 1 anything else.`,
  );
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      if (e.exitCode === 0) return 0;
      return 2;
    }
    if (isInputError(e)) {
      process.stderr.write(`owa-audit: ${e.format()}\n`);
      return 2;
    }
    // Failures the user can act on (unwritable run directory, history, data update) carry their
    // exit status and a message that says what to do; only bugs get a stack trace.
    const exitCode = (e as { exitCode?: unknown } | null)?.exitCode;
    if (e instanceof Error && (exitCode === 1 || exitCode === 2)) {
      process.stderr.write(`owa-audit: ${e.message}\n`);
      return exitCode;
    }
    process.stderr.write(`owa-audit: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
