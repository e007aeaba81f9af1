// The running header and footer's words as CSS strings (they go into the document's <style>) and
// which browsers print them from the document (src/report/running-text.ts).
import { describe, expect, it } from 'vitest';
import { cssStringBody, printsMarginBoxes, runningText } from '../src/report/running-text.js';

/** Reads a CSS string body back as CSS does (hex escapes, one optional space after each). */
function cssUnescape(body: string): string {
  return body.replace(/\\([0-9A-Fa-f]{1,6}) ?/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

describe('cssStringBody', () => {
  it('keeps letters, digits and spaces and escapes the rest, so the words read back the same', () => {
    for (const owner of [false, true]) {
      const { header, footer } = runningText(owner);
      for (const words of [header, footer]) {
        const body = cssStringBody(words);
        expect(body).toMatch(/^[A-Za-z0-9 \\]*$/);
        expect(cssUnescape(body)).toBe(words);
      }
    }
    expect(cssStringBody('owa-audit · x')).toBe('owa\\2D audit \\B7  x');
  });

  it('leaves nothing that could end the string, the rule or the style element', () => {
    const hostile = '"; } body { display: none } </style><script>alert(1)</script> \\ \n 🙂';
    const body = cssStringBody(hostile);
    expect(body).toMatch(/^[A-Za-z0-9 \\]*$/);
    expect(cssUnescape(body)).toBe(hostile);
  });
});

describe('printsMarginBoxes', () => {
  it('from Chromium 131 on; an unreadable version gets the header and footer templates', () => {
    expect(printsMarginBoxes('HeadlessChrome/156.0.8078.129')).toBe(true);
    expect(printsMarginBoxes('HeadlessChrome/131.0.6778.0')).toBe(true);
    expect(printsMarginBoxes('HeadlessChrome/130.0.6723.58')).toBe(false);
    expect(printsMarginBoxes('Chrome/99.0.4844.51')).toBe(false);
    expect(printsMarginBoxes('Chromium')).toBe(false);
  });
});
