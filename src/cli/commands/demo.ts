import type { Command } from 'commander';
import { printScanSummary } from '../scan-summary.js';
import { interruptible } from '../interrupt.js';
import { commandClock } from '../clock.js';
import { boundHeapGrowth } from '../v8-tuning.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the simulated Exchange fleet on loopback, scan it and write the reports')
    .option('--out <dir>', 'run directory (default scans/runs/demo-<UTC timestamp>)')
    .addHelpText(
      'after',
      `
The fleet plays Exchange 2007 → SE at many builds, Exchange Online, IIS, nginx and hostile hosts
on 127.100.0.0/24. Nothing leaves loopback. stdout carries the path of the HTML report.`,
    )
    .action(async (o: { out?: string }) => {
      boundHeapGrowth();
      const { runDemo } = await import('../../demo/run-demo.js');
      await interruptible(
        async (signal) => {
          const result = await runDemo({
            ...commandClock(),
            ...(o.out === undefined ? {} : { outDir: o.out }),
            signal,
          });
          printScanSummary(result.scan, process.stderr);
          process.stderr.write(
            `fleet: received ${result.fleetRequests} requests (scanner sent ${result.scan.summary.requests}), ` +
              `at most ${result.maxRequestsPerEndpoint} per endpoint, ` +
              `${result.sentinelConnections} connections to the out-of-scope sentinel\n`,
          );
          const report = result.scan.reports?.html ?? null;
          if (report !== null) process.stdout.write(`${report}\n`);
        },
        () => null,
      );
    });
}
