import type { Publisher } from '../main.js';
import { renderFindingsMarkdown } from '../report/markdown.js';
import { buildSarif, serializeSarif } from '../report/sarif.js';
import { renderJson, renderText } from '../report/text.js';
import { NOTHING_EARLIER, type ReviewReport } from '../types.js';

export const FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** The CLI's publisher: the report on stdout in the chosen format. No earlier runs, nothing to resume after a failure. */
export function createConsolePublisher(out: { write(text: string): unknown }, format: Format, color: boolean): Publisher {
  return {
    open: () => Promise.resolve(NOTHING_EARLIER),
    publish(report) {
      out.write(render(report, format, color));
      return Promise.resolve(report);
    },
    abandon: () => Promise.resolve(),
  };
}

export function render(report: ReviewReport, format: Format, color: boolean): string {
  switch (format) {
    case 'text':
      return renderText(report, { color });
    case 'markdown':
      return renderFindingsMarkdown(report);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return serializeSarif(buildSarif(report));
  }
}
