/**
 * A printable report as a PDF: heading lines, then a table whose rows wrap within their columns and
 * run onto as many pages as they need (the column headers repeated), each page numbered. US Letter,
 * landscape, in Courier: a fixed-width face every PDF reader has built in (nothing is embedded), so
 * the same report always gives the same bytes and its SHA-256 identifies it. Text outside Latin-1 is
 * printed as "?"; typographic quotes and dashes as their plain forms.
 */
export interface PdfColumn<R> {
  header: string;
  /** Width in characters. */
  width: number;
  value: (row: R) => string;
  /** Numbers read better aligned right. */
  align?: 'left' | 'right';
}

export interface PdfTable<R> {
  title: string;
  /** Under the title, before the table. */
  heading: string[];
  columns: PdfColumn<R>[];
  rows: R[];
  /** After the last row (totals, a note). */
  closing?: string[];
  /** What every page's footer says beside its number. */
  footer: string;
}

const PAGE = { width: 792, height: 612, margin: 36 };
const SIZE = 7;
/** Spaces between two columns. */
const GAP = '  ';
const LEAD = 8.6;
/** Courier's advance is 600/1000 of the size. */
export const CHARS_PER_LINE = Math.floor((PAGE.width - 2 * PAGE.margin) / (SIZE * 0.6));

const PLAIN: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
};

/** A PDF string literal in WinAnsiEncoding (Latin-1 for what Vigil prints). */
function literal(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = PLAIN[ch] ?? ch;
    const code = c.codePointAt(0)!;
    if (c === '\\' || c === '(' || c === ')') out += `\\${c}`;
    else if (code >= 32 && code < 127) out += c;
    else if (code >= 160 && code <= 255) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return `(${out})`;
}

/** `text` in lines of at most `width` characters, broken at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let w = word;
      while (w.length > width) {
        if (line) lines.push(line);
        lines.push(w.slice(0, width));
        w = w.slice(width);
        line = '';
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines;
}

type Line = { text: string; bold?: boolean };

/** The table's lines, cell by cell wrapped and padded; a row's lines stay together on a page. */
function rowLines<R>(columns: PdfColumn<R>[], cells: string[]): string[] {
  const wrapped = cells.map((c, i) => wrap(c, columns[i].width));
  const height = Math.max(...wrapped.map((w) => w.length));
  return Array.from({ length: height }, (_, l) =>
    wrapped
      .map((w, i) => {
        const text = w[l] ?? '';
        return columns[i].align === 'right' ? text.padStart(columns[i].width) : text.padEnd(columns[i].width);
      })
      .join(GAP)
      .trimEnd(),
  );
}

/** Lays the table out on pages of `perPage` lines: the heading on the first, the column headers on each. */
function paginate<R>(t: PdfTable<R>, perPage: number): Line[][] {
  const headers = rowLines(
    t.columns,
    t.columns.map((c) => c.header),
  ).map((text) => ({ text, bold: true }));
  const rule = {
    text: '-'.repeat(
      Math.min(
        CHARS_PER_LINE,
        t.columns.reduce((s, c) => s + c.width + GAP.length, -GAP.length),
      ),
    ),
  };
  const pages: Line[][] = [];
  let page: Line[] = [
    { text: t.title, bold: true },
    ...t.heading.flatMap((h) => wrap(h, CHARS_PER_LINE)).map((text) => ({ text })),
    { text: '' },
    ...headers,
    rule,
  ];
  const blocks = t.rows.map((r) =>
    rowLines(
      t.columns,
      t.columns.map((c) => c.value(r)),
    ).map((text) => ({ text })),
  );
  if (!t.rows.length) blocks.push([{ text: 'No records in this period.' }]);
  if (t.closing?.length)
    blocks.push([{ text: '' }, ...t.closing.flatMap((c) => wrap(c, CHARS_PER_LINE)).map((text) => ({ text, bold: true }))]);
  for (const block of blocks) {
    if (page.length + block.length > perPage && page.length > headers.length + 1) {
      pages.push(page);
      page = [...headers, rule];
    }
    page.push(...block);
  }
  pages.push(page);
  return pages;
}

/** The PDF's bytes. */
export function renderPdf<R>(t: PdfTable<R>, info: { title: string; createdAt: Date }): Buffer {
  const perPage = Math.floor((PAGE.height - 2 * PAGE.margin - 2 * LEAD) / LEAD);
  const pages = paginate(t, perPage);
  const objects: string[] = [];
  /** Adds an object; its number. */
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // the page tree, once the pages are numbered
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>');
  const d = info.createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  add(`<< /Title ${literal(info.title)} /Producer (Vigil) /CreationDate (D:${d}Z) >>`);
  const kids: number[] = [];
  pages.forEach((lines, i) => {
    const top = PAGE.height - PAGE.margin - SIZE;
    const ops = lines.map(
      (l, n) => `BT /${l.bold ? 'F2' : 'F1'} ${SIZE} Tf ${PAGE.margin} ${(top - n * LEAD).toFixed(2)} Td ${literal(l.text)} Tj ET`,
    );
    ops.push(`BT /F1 ${SIZE} Tf ${PAGE.margin} ${PAGE.margin} Td ${literal(`${t.footer}  -  page ${i + 1} of ${pages.length}`)} Tj ET`);
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
