// Writing the trace page (`check --html`, `view --html`): to a file, or to standard output for `-`.

import { formatDiagnostic, makeDiagnostic } from '../base/diagnostics.js';
import type { KernelWorld } from '../kernel/world.js';
import { renderTracePage, tracePageData, type TracePageInput } from '../verify/trace-page.js';
import { withSourceText } from './check-report.js';
import { EXIT, writeHostFile, type Host } from './host.js';

/** Write the page; a file that cannot be written is a diagnostic (exit 2), as for `--trace-out`. */
export function writeTracePage(host: Host, world: KernelWorld, path: string, input: TracePageInput, sourceText?: string): number | undefined {
  const data = tracePageData(world, input);
  // Each patcher step with the scenario line it came from, as the text report shows it.
  const html = renderTracePage({ ...data, steps: withSourceText(data.steps, sourceText) });
  if (path === '-') {
    host.out(html);
    return undefined;
  }
  try {
    writeHostFile(host, path, html);
    return undefined;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    host.err(formatDiagnostic(makeDiagnostic('PL6107', { file: path, line: 1, col: 1 }, path, String(reason))) + '\n');
    return EXIT.badInput;
  }
}
