/**
 * A small SVG chart of a benchmark: per stage, busy seconds at each batch size (bars),
 * with each run's throughput in the legend. Plain SVG, no library: it renders in the
 * README and in any browser.
 */
import type { BenchReport } from './compare-graph.js';

const COLORS = ['#4f8df7', '#f7a24f', '#2ecc71', '#e74c3c', '#9b59b6', '#95a5a6'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function benchChartSvg(reports: readonly BenchReport[]): string {
  const rowHeight = 16;
  const labelWidth = 230;
  const barWidth = 420;
  const parts: string[] = [];
  let y = 30;
  for (const report of reports) {
    const runs = report.planned;
    // Stages that only compute a value when the run opens (a source image) have no bars.
    const stageIds = [...new Set(runs.flatMap((r) => r.stages.filter((s) => s.busyMs > 0).map((s) => s.id)))];
    const max = Math.max(1, ...runs.flatMap((r) => r.stages.map((s) => s.busyMs)));
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escape(report.graph)}: busy time per stage (s, summed over its copies); ${report.ratio.toFixed(2)}x per-frame, efficiency ${report.efficiency.toFixed(2)}</text>`);
    y += 16;
    const baseline = `per-frame: ${report.perFrame.pipelineFps.toFixed(1)} fps with each model on every core, ${report.perFrameOneThread.pipelineFps.toFixed(1)} fps on one thread; fps = frames / pipeline time`;
    parts.push(`<text x="10" y="${y}" font-size="11">${escape(baseline)}</text>`);
    y += 8;
    runs.forEach((run, i) => {
      const label = `${run.batch === null ? 'as graph' : `batch ${run.batch}`}: ${run.pipelineFps.toFixed(1)} fps (${run.ratio.toFixed(2)}x)`;
      parts.push(`<rect x="${10 + i * 170}" y="${y}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${24 + i * 170}" y="${y + 9}" font-size="11">${escape(label)}</text>`);
    });
    y += 20;
    for (const id of stageIds) {
      const nodes = runs.find((r) => r.stages.some((s) => s.id === id))!.stages.find((s) => s.id === id)!.nodes.join('+');
      parts.push(`<text x="10" y="${y + rowHeight * runs.length * 0.5 + 4}" font-size="12">${escape(`${id} ${nodes}`)}</text>`);
      runs.forEach((run, i) => {
        const stage = run.stages.find((s) => s.id === id);
        const busy = stage?.busyMs ?? 0;
        const w = Math.max(1, (busy / max) * barWidth);
        parts.push(`<rect x="${labelWidth}" y="${y + i * rowHeight}" width="${w.toFixed(1)}" height="${rowHeight - 3}" fill="${COLORS[i % COLORS.length]}"/>`);
        parts.push(`<text x="${labelWidth + w + 4}" y="${y + i * rowHeight + 11}" font-size="10">${(busy / 1000).toFixed(2)} s</text>`);
      });
      y += rowHeight * runs.length + 6;
    }
    y += 24;
  }
  const width = labelWidth + barWidth + 80;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
