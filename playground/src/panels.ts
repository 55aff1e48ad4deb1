import {
  NUMERIC_COLUMNS, renderDiagram, renderPretty, summarize, SUMMARY_COLUMNS, summaryRow, summaryTitle, summaryTotals,
  type CheckedModel, type Diagnostic, type SourceFile,
} from '../../src/browser.js';

/** What the checker says, as `cnnc check` prints it; a click on one moves the cursor to its span. */
export function showDiagnostics(list: HTMLElement, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>, reveal: (d: Diagnostic) => void): void {
  list.replaceChildren(
    ...diagnostics.map((d) => {
      const item = document.createElement('pre');
      item.className = `diagnostic ${d.severity}`;
      item.dataset.code = d.code;
      item.textContent = renderPretty(d, sources);
      item.addEventListener('click', () => reveal(d));
      return item;
    }),
  );
  list.hidden = diagnostics.length === 0;
}

/** The summary table (`cnnc summary`'s cells) and its totals. */
export function showSummary(root: HTMLElement, model: CheckedModel, sources: ReadonlyMap<string, SourceFile>): void {
  const s = summarize(model, sources);
  const title = document.createElement('h3');
  title.textContent = summaryTitle(s);
  const table = document.createElement('table');
  table.className = 'summary';
  const head = table.createTHead().insertRow();
  SUMMARY_COLUMNS.forEach((c, i) => {
    const th = document.createElement('th');
    th.textContent = c;
    if (NUMERIC_COLUMNS[i]) th.className = 'num';
    head.append(th);
  });
  const body = table.createTBody();
  for (const l of s.layers) {
    const row = body.insertRow();
    summaryRow(l).forEach((cell, i) => {
      const td = row.insertCell();
      td.textContent = cell;
      if (NUMERIC_COLUMNS[i]) td.className = 'num';
    });
  }
  const totals = document.createElement('dl');
  totals.className = 'totals';
  for (const [label, value] of summaryTotals(s)) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (label === 'Trainable params') dd.id = 'param-count';
    totals.append(dt, dd);
  }
  root.replaceChildren(title, totals, table);
}

/** The architecture diagram, the same SVG as `cnnc diagram` (blocks expanded one level). */
export function showDiagram(root: HTMLElement, model: CheckedModel, expand: 'all' | 'none' | number): void {
  root.innerHTML = renderDiagram(model, { expand });
}
