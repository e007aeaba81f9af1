// data/lifecycle.json from data-sources/lifecycle.json.
import { fail } from './util.js';

const versionsOf = {
  'Exchange Server 2007': '8.x',
  'Exchange Server 2010': '14.x',
  'Exchange Server 2013': '15.0',
  'Exchange Server 2016': '15.1',
  'Exchange Server 2019': '15.2 (build < 2562)',
  'Exchange Server SE': '15.2 (build >= 2562)',
};
const eligibleLines = (s) => [...s.matchAll(/CU\d+/g)].map((m) => m[0]);
const monthOrDay = (s) => (/^\d{4}-\d{2}(-\d{2})?/.exec(s) ?? fail(`bad date ${s}`))[0];

export function deriveLifecycle(source) {
  return source.map((p) => {
    const entry = {
      product: p.product,
      versions: versionsOf[p.product],
      released: p.release,
      mainstreamEnd: p.mainstream_end,
      extendedEnd: p.extended_end,
      esu: (p.esu ?? []).map((e) => {
        const esu = {
          period: e.period,
          start: monthOrDay(e.start),
          end: monthOrDay(e.end),
          eligibleLines: eligibleLines(e.eligible),
        };
        if (e.end.length > 10) esu.endNote = e.end.slice(e.end.indexOf('(') + 1, -1);
        if (e.confidence) esu.confidence = e.confidence;
        return esu;
      }),
      confidence: p.confidence,
      notes: [p.notes, p.policy].filter(Boolean),
    };
    // Exchange 2007 is older than the build list; its last update rollup (SP3 RU23) is known.
    if (p.product === 'Exchange Server 2007') entry.finalBuild = { build: '8.3.517.0', name: 'SP3 RU23' };
    return entry;
  });
}
