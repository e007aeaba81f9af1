// The report formats, apart from the modules that write them: a scan, the demo and the CLI's help
// name them without loading the report stack (handlebars, puppeteer, SQLite).

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'intelmq'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a scan writes at its end (README "Run directory", plus the IntelMQ events). */
export const DEFAULT_SCAN_FORMATS: readonly ReportFormat[] = ['html', 'pdf', 'csv', 'intelmq'];
