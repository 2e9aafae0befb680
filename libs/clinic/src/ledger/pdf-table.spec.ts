import { CHARS_PER_LINE, renderPdf, wrap, type PdfTable } from './pdf-table.js';

type Row = { n: number; name: string };

const table = (rows: Row[]): PdfTable<Row> => ({
  title: 'TEST REPORT',
  heading: ['Harbor Clinic (Boston). Period 2026-12-01 to 2026-12-07.'],
  columns: [
    { header: 'No.', width: 5, align: 'right', value: (r) => String(r.n) },
    { header: 'Name', width: 12, value: (r) => r.name },
  ],
  rows,
  closing: ['Totals: none'],
  footer: 'Harbor Clinic - test',
});
const at = new Date('2026-12-07T15:00:00Z');
const text = (pdf: Buffer) => pdf.toString('latin1');

describe('printable reports: a table as a PDF', () => {
  it.each([
    ['a short text', 'Souza, Ana', 12, ['Souza, Ana']],
    ['words to the width', '12 Harbor St, Boston MA 02110', 12, ['12 Harbor', 'St, Boston', 'MA 02110']],
    ['a word longer than the width', 'DEA106-2026-000123', 8, ['DEA106-2', '026-0001', '23']],
    ['nothing', '', 5, ['']],
  ])('wraps %s', (_what, input, width, lines) => {
    expect(wrap(input, width)).toEqual(lines);
  });

  it('is a PDF whose cross-reference table points at each of its objects', () => {
    const pdf = renderPdf(table([{ n: 1, name: 'Souza, Ana' }]), { title: 'Test', createdAt: at });
    const s = text(pdf);
    expect(s.startsWith('%PDF-1.4\n')).toBe(true);
    expect(s.endsWith('%%EOF\n')).toBe(true);
    const xref = Number(/startxref\n(\d+)\n/.exec(s)![1]);
    expect(s.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...s.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((o, i) => expect(s.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    expect(s).toContain('/BaseFont /Courier');
    expect(s).toContain('(TEST REPORT) Tj');
    expect(s).toContain('(  No.  Name) Tj');
    expect(s).toContain('(    1  Souza, Ana) Tj');
    expect(s).toContain('(Harbor Clinic - test  -  page 1 of 1) Tj');
  });

  it('is the same bytes for the same report (its SHA-256 identifies it)', () => {
    const rows = [{ n: 1, name: 'Souza, Ana' }];
    expect(renderPdf(table(rows), { title: 'Test', createdAt: at }).equals(renderPdf(table(rows), { title: 'Test', createdAt: at }))).toBe(
      true,
    );
  });

  it('runs onto pages as it needs, the column headers on each, numbered', () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ n: i + 1, name: `Patient ${i + 1}` }));
    const s = text(renderPdf(table(rows), { title: 'Test', createdAt: at }));
    const pages = Number(/\/Count (\d+)/.exec(s)![1]);
    expect(pages).toBe(3);
    expect(s.match(/\(  No\.  Name\) Tj/g)).toHaveLength(3);
    expect(s).toContain('page 3 of 3');
    expect(s).toContain('(  150  Patient 150) Tj');
    expect(s).toContain('(Totals: none) Tj');
  });

  it('escapes what PDF strings hold specially and prints Latin-1; other characters as "?"', () => {
    const s = text(renderPdf(table([{ n: 1, name: 'Mü(J)’s\\李' }]), { title: 'Test', createdAt: at }));
    expect(s).toContain("(    1  M\\374\\(J\\)'s\\\\?) Tj");
  });

  it('fits a landscape US Letter line of Courier at 7 pt', () => {
    expect(CHARS_PER_LINE).toBe(171);
  });
});
