import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { MAX_REASON_LENGTH, MAX_REPORTED_CONTENT, openListFile, readListLines, reportedContent, validateRow } from '../../../src/import/rows';
import { InvalidSiteListError } from '../../../src/import/errors';
import { writeZipFile } from '../../../src/import/zip-writer';

async function linesOf(text: string | Buffer): Promise<Array<{ line: number; fields: string[] }>> {
  const out = [];
  for await (const l of readListLines(Readable.from([typeof text === 'string' ? Buffer.from(text) : text]), 'test.csv')) out.push(l);
  return out;
}

describe('validateRow', () => {
  it('accepts rank,domain and normalises the domain to lower-case A-labels', () => {
    expect(validateRow(['1', 'google.com'])).toEqual({ ok: true, rank: 1, domain: 'google.com' });
    expect(validateRow(['42', 'Bücher.Example'])).toEqual({ ok: true, rank: 42, domain: 'xn--bcher-kva.example' });
    expect(validateRow([' 7 ', 'EXAMPLE.org.'])).toEqual({ ok: true, rank: 7, domain: 'example.org' });
  });

  it.each([
    [['1'], /expected 2 fields "rank,domain", found 1/],
    [['1', 'a.example', 'x'], /found 3/],
    [['0', 'a.example'], /rank "0" is not a positive integer/],
    [['-3', 'a.example'], /rank "-3" is not a positive integer/],
    [['1.5', 'a.example'], /rank "1.5" is not a positive integer/],
    [['12x', 'a.example'], /rank "12x" is not a positive integer/],
    [['', 'a.example'], /rank "" is not a positive integer/],
    [['3000000000', 'a.example'], /rank 3000000000 is larger than 2147483647/],
    [['1', ''], /invalid domain "": empty name/],
    [['1', 'localhost'], /a single label is not a site domain/],
    [['1', 'bad domain.example'], /invalid domain "bad domain.example"/],
    [['1', 'double..dot.example'], /empty label/],
    [['1', '192.0.2.1'], /IP address/],
    [['1', 'under_score.example'], /characters outside letters, digits and inner hyphens/],
  ])('rejects %j with a reason', (fields, reason) => {
    const verdict = validateRow(fields);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });

  it('keeps reasons short however long the input (they travel in the workflow result)', () => {
    for (const fields of [['1', `${'a'.repeat(10_000)}.example`], ['9'.repeat(10_000), 'a.example'], ['1', `a b${'c'.repeat(10_000)}`]]) {
      const verdict = validateRow(fields);
      expect(!verdict.ok && verdict.reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH + 1);
    }
    expect(validateRow(['1', `${'a'.repeat(10_000)}.example`])).toEqual({ ok: false, reason: `invalid domain "${'a'.repeat(80)}…": longer than 253 characters (10008)` });
  });

  it('never throws, whatever the fields', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 80 }), { maxLength: 4 }), (fields) => {
        const verdict = validateRow(fields);
        if (verdict.ok) {
          expect(Number.isInteger(verdict.rank) && verdict.rank > 0).toBe(true);
          expect(verdict.domain).toMatch(/^[a-z0-9.-]+$/);
        } else {
          expect(verdict.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('reportedContent', () => {
  it('joins the fields as read and cuts long rows', () => {
    expect(reportedContent(['1', 'a.example'])).toBe('1,a.example');
    const long = reportedContent(['1', 'x'.repeat(500)]);
    expect(long).toHaveLength(MAX_REPORTED_CONTENT + 1);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('readListLines', () => {
  it('numbers physical lines (LF or CRLF, a BOM, blank lines skipped but counted)', async () => {
    expect(await linesOf('\ufeff1,a.example\r\n2,b.example\r\n\r\n4,d.example')).toEqual([
      { line: 1, fields: ['1', 'a.example'] },
      { line: 2, fields: ['2', 'b.example'] },
      { line: 4, fields: ['4', 'd.example'] },
    ]);
    expect(await linesOf('1,a.example\n\n\n2,b.example\n')).toEqual([
      { line: 1, fields: ['1', 'a.example'] },
      { line: 4, fields: ['2', 'b.example'] },
    ]);
  });

  it('treats quotes as ordinary characters, so a stray quote cannot swallow the lines after it', async () => {
    expect(await linesOf('1,"a.example\n2,b.example\n"3",c"\n')).toEqual([
      { line: 1, fields: ['1', '"a.example'] },
      { line: 2, fields: ['2', 'b.example'] },
      { line: 3, fields: ['"3"', 'c"'] },
    ]);
  });

  it('yields one entry per non-empty line of any text, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^[^\r\n]{0,30}$/), { maxLength: 30 }), fc.boolean(), async (lines, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n');
        const got = await linesOf(text);
        const expected = lines.flatMap((content, i) => (content === '' || (i === 0 && content === '\ufeff') ? [] : [{ line: i + 1, content: i === 0 ? content.replace(/^\ufeff/, '') : content }]));
        expect(got.map((g) => ({ line: g.line, content: g.fields.join(',') }))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a line longer than 64 KiB as not a site list', async () => {
    await expect(linesOf(`1,a.example\n${'z'.repeat(70_000)}\n`)).rejects.toThrow(new InvalidSiteListError('site list test.csv: line 2 is longer than 65536 characters: not a site list'));
    await expect(linesOf(`1,a\n2,b\n\n4,d\n${'z'.repeat(70_000)}`)).rejects.toThrow('line 5 is longer than 65536 characters');
  });
});

describe('openListFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-rows-test-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function contentOf(file: string, namedZip = file.endsWith('.zip')): Promise<{ text: string; zipMember: string | null }> {
    const { stream, zipMember } = await openListFile(file, path.basename(file), namedZip);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return { text: Buffer.concat(chunks).toString(), zipMember };
  }

  it('reads a plain CSV as it is, and the CSV member of a zip (found by signature, whatever the name)', async () => {
    const csv = path.join(dir, 'list.csv');
    fs.writeFileSync(csv, '1,a.example\n');
    expect(await contentOf(csv)).toEqual({ text: '1,a.example\n', zipMember: null });
    const zip = path.join(dir, 'download'); // no .zip in the name
    await writeZipFile(zip, 'top-1m.csv', ['1,a.example\n', '2,b.example\n']);
    expect(await contentOf(zip, false)).toEqual({ text: '1,a.example\n2,b.example\n', zipMember: 'top-1m.csv' });
  });

  it('takes the only member of a zip even without a .csv name, and names the members when there is no list', async () => {
    const zip = path.join(dir, 'one.zip');
    await writeZipFile(zip, 'list.txt', ['1,a.example\n']);
    expect(await contentOf(zip)).toEqual({ text: '1,a.example\n', zipMember: 'list.txt' });
  });

  it('refuses an empty file, a .zip that is not one, and a truncated zip', async () => {
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(contentOf(empty)).rejects.toThrow('site list empty.csv: the file is empty');
    const fake = path.join(dir, 'fake.zip');
    fs.writeFileSync(fake, '1,a.example\n');
    await expect(contentOf(fake)).rejects.toThrow('site list fake.zip: corrupt zip archive: no zip signature (the file starts with "1,a.")');
    const good = path.join(dir, 'good.zip');
    await writeZipFile(good, 'top-1m.csv', ['1,a.example\n'.repeat(1000)]);
    const truncated = path.join(dir, 'truncated.zip');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 60));
    await expect(contentOf(truncated)).rejects.toThrow(/^site list truncated\.zip: corrupt zip archive: end of central directory record signature not found/i);
  });
});
