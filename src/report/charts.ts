// Horizontal stacked bar charts as geometry for an inline-SVG template: no script, no fonts or
// images to fetch, identical on screen, offline and in the PDF. Colour is never the only cue:
// every bar carries its count, segments carry a <title>, and "possible" parts are hatched.
import { CLIP } from '../core/text.js';

export interface ChartSegmentInput {
  value: number;
  /** CSS class that gives the fill, e.g. "seg-vulnerable". */
  cls: string;
  /** Hatched overlay, for uncertain ("possible") or end-of-life parts. */
  hatched?: boolean;
  label: string;
}

export interface ChartRowInput {
  label: string;
  segments: ChartSegmentInput[];
}

export interface ChartSegment {
  x: number;
  width: number;
  cls: string;
  hatched: boolean;
  title: string;
}

export interface ChartRow {
  label: string;
  y: number;
  textY: number;
  barHeight: number;
  segments: ChartSegment[];
  value: string;
  valueX: number;
}

export interface ChartLegendItem {
  x: number;
  y: number;
  cls: string;
  hatched: boolean;
  label: string;
  textX: number;
  textY: number;
}

export interface ChartView {
  title: string;
  width: number;
  height: number;
  labelX: number;
  rows: ChartRow[];
  legend: ChartLegendItem[];
  empty: boolean;
}

const VALUE_WIDTH = 48;
const ROW = 24;
const BAR = 15;
const TOP = 6;

export interface ChartSize {
  width: number;
  labelWidth: number;
}
/** Half the page: two such charts sit side by side. */
export const NARROW: ChartSize = { width: 400, labelWidth: 100 };
export const WIDE: ChartSize = { width: 640, labelWidth: 190 };

/** Label text cut so it fits the label column (about 6 px per character at the chart font size). */
function fitLabel(text: string, labelWidth: number): string {
  const max = Math.floor((labelWidth - 12) / 6.2);
  return CLIP.ellipsis(text, max);
}

export function barChart(
  title: string,
  rows: ChartRowInput[],
  legend: { cls: string; label: string; hatched?: boolean }[],
  size: ChartSize = WIDE,
): ChartView {
  const WIDTH = size.width;
  const LABEL_WIDTH = size.labelWidth;
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((s, g) => s + g.value, 0)));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max;
  const chartRows: ChartRow[] = rows.map((r, i) => {
    const y = TOP + i * ROW;
    let x = LABEL_WIDTH;
    const segments: ChartSegment[] = [];
    let total = 0;
    for (const s of r.segments) {
      if (s.value <= 0) continue;
      // A non-zero part stays visible (≥ 2 px) however small next to the largest bar.
      const width = Math.max(2, Math.round(s.value * scale * 10) / 10);
      segments.push({
        x,
        width,
        cls: s.cls,
        hatched: s.hatched === true,
        title: `${s.label}: ${s.value.toLocaleString('en-GB')}`,
      });
      x += width;
      total += s.value;
    }
    return {
      label: fitLabel(r.label, LABEL_WIDTH),
      y,
      textY: y + BAR - 3,
      barHeight: BAR,
      segments,
      value: total.toLocaleString('en-GB'),
      valueX: x + 6,
    };
  });
  const legendTop = TOP + rows.length * ROW + 8;
  let lx = LABEL_WIDTH;
  let ly = legendTop;
  const legendItems: ChartLegendItem[] = legend.map((l) => {
    const itemWidth = 16 + Math.ceil(l.label.length * 6.2) + 18;
    if (lx + itemWidth > WIDTH && lx > LABEL_WIDTH) {
      lx = LABEL_WIDTH;
      ly += 18;
    }
    const item = {
      x: lx,
      y: ly,
      cls: l.cls,
      hatched: l.hatched === true,
      label: l.label,
      textX: lx + 16,
      textY: ly + 10,
    };
    lx += itemWidth;
    return item;
  });
  return {
    title,
    width: WIDTH,
    height: ly + (legend.length > 0 ? 20 : 0),
    labelX: LABEL_WIDTH - 8,
    rows: chartRows,
    legend: legendItems,
    empty: rows.every((r) => r.segments.every((s) => s.value <= 0)),
  };
}
