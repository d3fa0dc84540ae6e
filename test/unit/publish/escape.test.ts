import fc from 'fast-check';
import { csvCell, csvLine, escapeHtml, jsonForScriptElement } from '../../../src/publish/escape';

describe('escapeHtml', () => {
  it('escapes every character that can open markup or end an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('never lets <, >, " or \' through, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => !/[<>"']/.test(escapeHtml(s))));
  });
});

describe('jsonForScriptElement', () => {
  it('parses back to the same value and cannot close the script element', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = jsonForScriptElement(value);
        expect(text).not.toMatch(/<|>|&|\u2028|\u2029/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('escapes a record that tries to break out of the data block', () => {
    const text = jsonForScriptElement({ record: 'v=spf1 </script><script>alert(1)</script>' });
    expect(text).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(text).record).toBe('v=spf1 </script><script>alert(1)</script>');
  });
});

describe('CSV cells', () => {
  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises a cell starting with a formula character: %j', (cell) => {
    const out = csvCell(cell);
    expect(out.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and leaves plain domains alone', () => {
    expect(csvCell('example.com')).toBe('example.com');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvLine([12, 'example.com'])).toBe('12,example.com\n');
  });

  it('never yields a cell a spreadsheet would evaluate', () => {
    fc.assert(fc.property(fc.string(), (s) => !/^"?[=+\-@\t\r]/.test(csvCell(s))));
  });
});
