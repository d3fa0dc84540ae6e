import path from 'node:path';
import { resolveSiteListSource } from '../../../src/import/source';
import { absoluteSource, formatImportResult } from '../../../src/import/cli';
import { formatRejectedRow } from '../../../src/import/types';
import { createImportActivities } from '../../../src/activities/import';

describe('resolveSiteListSource', () => {
  it('takes http(s) URLs, hiding a password when naming them', () => {
    expect(resolveSiteListSource('https://tranco-list.eu/top-1m.csv.zip')).toEqual({ kind: 'url', url: 'https://tranco-list.eu/top-1m.csv.zip', display: 'https://tranco-list.eu/top-1m.csv.zip' });
    expect(resolveSiteListSource(' http://user:secret@127.0.0.1:8080/l.csv ')).toEqual({ kind: 'url', url: 'http://user:secret@127.0.0.1:8080/l.csv', display: 'http://user:***@127.0.0.1:8080/l.csv' });
  });

  it('takes file: URLs and paths, resolving relative ones', () => {
    expect(resolveSiteListSource('file:///data/top-1m.csv.zip')).toEqual({ kind: 'file', path: '/data/top-1m.csv.zip', display: '/data/top-1m.csv.zip' });
    expect(resolveSiteListSource('lists/top.csv')).toEqual({ kind: 'file', path: path.resolve('lists/top.csv'), display: path.resolve('lists/top.csv') });
  });

  it('refuses other schemes and empty or non-string sources, naming them', () => {
    expect(() => resolveSiteListSource('ftp://example.com/l.zip')).toThrow('site list source ftp://example.com/l.zip: unsupported scheme ftp: (use http, https, file or a path)');
    expect(() => resolveSiteListSource('  ')).toThrow('site list source "  ": expected a URL or a file path');
    expect(() => resolveSiteListSource(undefined)).toThrow('site list source undefined: expected a URL or a file path');
  });
});

describe('command-line helpers', () => {
  it('makes a path absolute and leaves a URL alone', () => {
    expect(absoluteSource('top.csv')).toBe(path.resolve('top.csv'));
    expect(absoluteSource('https://x.example/top.csv')).toBe('https://x.example/top.csv');
  });

  it('prints counts and the rejected rows', () => {
    const text = formatImportResult({
      workflowId: 'import-1',
      importId: 3,
      source: '/l.csv',
      status: 'completed',
      rowsRead: 10,
      rowsValid: 9,
      rowsRejected: 1,
      newSites: 4,
      rerankedSites: 2,
      unrankedSites: 1,
      rejectedSample: [{ line: 7, content: '7,bad domain.test', reason: 'invalid domain' }],
      sha256: 'ab',
      seconds: 1.5,
    });
    expect(text).toBe(
      [
        'import import-1 (/l.csv) completed in 1.5 s',
        '  rows read 10, valid 9, rejected 1',
        '  new sites 4, re-ranked 2, unranked 1',
        '  rejected rows:',
        '    line 7: "7,bad domain.test": invalid domain',
      ].join('\n'),
    );
    expect(formatRejectedRow({ line: 2, content: 'a"b', reason: 'r' })).toBe('line 2: "a\\"b": r');
  });
});

describe('the resolveSiteListSource activity', () => {
  const activities = createImportActivities({ db: undefined as never, defaultSource: 'http://127.0.0.1:9/top-1m.csv.zip' });

  it('falls back to the configured source when the workflow gives none', async () => {
    await expect(activities.resolveSiteListSource({})).resolves.toEqual({ source: 'http://127.0.0.1:9/top-1m.csv.zip', display: 'http://127.0.0.1:9/top-1m.csv.zip' });
  });

  it('refuses a bad source as a non-retryable failure', async () => {
    await expect(activities.resolveSiteListSource({ source: 'gopher://x/y' })).rejects.toMatchObject({
      type: 'InvalidSiteListError',
      nonRetryable: true,
      message: 'site list source gopher://x/y: unsupported scheme gopher: (use http, https, file or a path)',
    });
  });
});
