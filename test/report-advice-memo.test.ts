// The report's advice is remembered per verdict (report/knowledge.ts): what it remembers must be
// exactly the advice derived afresh, shared between equal verdicts parsed as distinct objects,
// and frozen so that no caller changes it for the others.
import { expect, it } from 'vitest';
import { classify, remediation } from '../src/classify/index.js';
import type { ExchangeVerdict, Precision } from '../src/core/result-schema.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { adviceFrom, MAX_REMEMBERED_ADVICE } from '../src/report/knowledge.js';

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';
const INPUTS: [string, Precision][] = [
  ['15.2.1748.36', 'exact'],
  ['15.2.1748.39', 'exact'],
  ['15.2.1544.4', 'exact'],
  ['15.2.1544', 'cu'],
  ['15.1.2507.39', 'exact'],
  ['15.1.2507', 'cu'],
  ['15.0.1497.2', 'exact'],
  ['15.2.9999.1', 'exact'],
];

/** As a record read back from results.jsonl: equal content, a distinct object. */
const parsed = (v: ExchangeVerdict): ExchangeVerdict => JSON.parse(JSON.stringify(v)) as ExchangeVerdict;

it('gives the advice derived afresh, the same object for equal verdicts, frozen', () => {
  const advise = adviceFrom(kb).remediation;
  if (advise === null) throw new Error('no advice source');
  for (const [build, precision] of INPUTS) {
    const verdict = classify(kb, build, precision, { today: TODAY });
    const first = advise(parsed(verdict));
    expect(first).toEqual(remediation(kb, parsed(verdict)));
    expect(advise(parsed(verdict))).toBe(first);
    expect(Object.isFrozen(first.steps[0] ?? first)).toBe(true);
    // A verdict that differs in anything (here its certainty) gets advice of its own.
    const other = {
      ...parsed(verdict),
      certainty: verdict.certainty === 'possible' ? 'confirmed' : 'possible',
    } as const;
    expect(advise(other)).toEqual(remediation(kb, other));
  }
});

it('forgets the oldest verdict beyond its bound, and still answers it', () => {
  const advise = adviceFrom(kb).remediation;
  if (advise === null) throw new Error('no advice source');
  const base = classify(kb, '15.2.1748.36', 'exact', { today: TODAY });
  const first = advise(parsed(base));
  for (let i = 0; i < MAX_REMEMBERED_ADVICE; i++) advise({ ...parsed(base), notes: [`note ${i}`] });
  const again = advise(parsed(base));
  expect(again).not.toBe(first);
  expect(again).toEqual(first);
});
