// What writeReports returns: the files it wrote, per owner too, and what the user should be told.
// Apart from the writer so that the commands that only pass the result on (scan, merge, reclassify,
// report) import no part of it.
export interface OwnerReportFiles {
  owner: string;
  html: string | null;
  pdf: string | null;
  /** Notification draft (RFC 5322), written with the PDFs; the PDF attached when it was rendered. */
  eml: string | null;
}

export interface ReportFiles {
  html: string | null;
  pdf: string | null;
  csv: string | null;
  /** IntelMQ events, one JSON line per Exchange endpoint that needs action. */
  intelmq: string | null;
  /** Events written to intelmq.jsonl. */
  intelmqEvents: number;
  owners: OwnerReportFiles[];
  endpoints: number;
  skippedLines: number;
  /** Things the user should know (no browser for the PDF, unreadable lines); for stderr. */
  warnings: string[];
  /**
   * The data-age warning for the run's data (classify/freshness.ts), or null while it is fresh.
   * Apart from `warnings`: a command that already said how old its data is does not say it twice.
   */
  dataAge: string | null;
  /** The browser that printed the PDFs (PdfRenderer.description), or null when none were printed. */
  pdfBrowser: string | null;
}
