import type { ReportInput } from './check-report.js';
import { reportText } from './check-report.js';
export function reportMail(r: ReportInput): string { return reportText(r); }
