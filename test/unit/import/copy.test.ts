import fc from 'fast-check';
import { copyField } from '../../../src/import/copy';

/** What Postgres's COPY text format reads back from a field (the escapes copyField emits). */
function decodeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c] ?? `\\${c}`);
}

describe('copyField', () => {
  it('writes null, numbers and escapes', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(42)).toBe('42');
    expect(copyField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyField('nul\u0000here')).toBe('nul\uFFFDhere');
  });

  it('never lets a field break a row, and reads back as written (NUL aside)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const field = copyField(value);
        expect(field).not.toMatch(/[\t\n\r\u0000]/);
        expect(decodeCopyField(field)).toBe(value.replace(/\u0000/g, '\uFFFD'));
      }),
      { numRuns: 1000 },
    );
  });
});
