import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import type { Precision } from '../../core/result-schema.js';
import { parseVersionHint, productOfBuild } from '../../core/build-number.js';
import { commandClock } from '../clock.js';

/** 4 parts: exact (downgraded to approximate when not published); 3: the CU; 1–2: the product. */
function precisionOf(parts: number): Precision {
  return parts === 4 ? 'exact' : parts === 3 ? 'cu' : 'product';
}

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('offline: what is this build, and which security updates does it miss?')
    .argument('<build...>', 'Exchange build numbers, e.g. 15.1.2507.6 or 15.02.1748.039')
    .option('--json', 'print the exchange object of the result record per build')
    .action(async (builds: string[], opts: { json?: boolean }) => {
      // Check every argument before printing anything: a typo must not leave half an answer.
      const inputs = builds.map((text, i) => {
        const parsed = parseVersionHint(text);
        if (parsed === null || productOfBuild(parsed.text) === null) {
          throw new InputError(
            `argument ${i + 1}: ${JSON.stringify(text.slice(0, 60))} is not ${parsed === null ? 'an Exchange build number' : 'a known Exchange version'} ` +
              '(expected e.g. 15.1.2507.6, 15.02.1748.039, 15.1.2507 or 15.1)',
          );
        }
        return { text, parsed };
      });
      const { today } = commandClock();
      // The command's modules load when it runs, not when the CLI starts; with the shipped data alone
      // (no user overlay) not even the schemas load (issue 17).
      const [
        { classify },
        { dataFreshness },
        { remediation },
        { loadKnowledgeBaseAsync },
        { colorsFor },
        { describeVerdict },
      ] = await Promise.all([
        import('../../classify/classify.js'),
        import('../../classify/freshness.js'),
        import('../../classify/remediation.js'),
        import('../../knowledge/load-async.js'),
        import('../../util/colors.js'),
        import('../verdict-text.js'),
      ]);
      const kb = await loadKnowledgeBaseAsync();
      const freshness = dataFreshness(kb, today);
      if (freshness.message !== null) process.stderr.write(`owa-audit: warning: ${freshness.message}\n`);
      const verdicts = inputs.map(({ parsed }) =>
        classify(kb, parsed.text, precisionOf(parsed.parts.length), today === undefined ? {} : { today }),
      );
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify(verdicts, null, 2)}\n`);
        return;
      }
      const colors = colorsFor(process.stdout);
      const blocks = verdicts.map((v, i) =>
        describeVerdict(inputs[i]?.text.trim() ?? '', v, remediation(kb, v), colors),
      );
      process.stdout.write(`${blocks.join('\n\n')}\n${colors.dim(`Knowledge base ${kb.dataVersion}.`)}\n`);
    });
}
