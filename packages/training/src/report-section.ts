/**
 * The athlete's report inside the Intervals.icu activity description: a clearly delimited section
 * that Splits owns. The athlete's own text around it is kept; a new report replaces only the section.
 */
export const REPORT_START = '--- Splits report ---';
export const REPORT_END = '--- end of Splits report ---';

const sectionRe = new RegExp(`\\n*${escape(REPORT_START)}\\n[\\s\\S]*?\\n${escape(REPORT_END)}\\n*`, 'g');

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** The description with exactly one Splits section holding `report`, after the athlete's own text. */
export function mergeReportIntoDescription(description: string | null | undefined, report: string): string {
  const own = stripReportSection(description);
  const section = `${REPORT_START}\n${report.trim()}\n${REPORT_END}`;
  return own ? `${own}\n\n${section}` : section;
}

/** The athlete's own text: the description without the Splits section. */
export function stripReportSection(description: string | null | undefined): string {
  return (description ?? '').replace(sectionRe, '\n\n').trim();
}
