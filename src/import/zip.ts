// Reading the CSV member of a zipped list as a stream (yauzl), without extracting it to disk.
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { InvalidSiteListError } from './errors';

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

/** The member that holds the list: the first `.csv` file, or the only file if there is one. */
function findListEntry(zip: yauzl.ZipFile): Promise<{ entry: yauzl.Entry | null; names: string[] }> {
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    let onlyFile: yauzl.Entry | null = null;
    let files = 0;
    zip.on('entry', (entry: yauzl.Entry) => {
      const isDirectory = entry.fileName.endsWith('/');
      if (!isDirectory) {
        names.push(entry.fileName);
        files++;
        onlyFile = entry;
        if (/\.csv$/i.test(entry.fileName)) {
          zip.removeAllListeners();
          resolve({ entry, names });
          return;
        }
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve({ entry: files === 1 ? onlyFile : null, names }));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * Opens the list inside a zip archive. A corrupt archive (no central directory, bad headers,
 * a member that does not inflate or has the wrong size) fails with an InvalidSiteListError
 * naming `display`, whether found on opening or while the member is read.
 */
export async function openZippedList(zipPath: string, display: string): Promise<{ stream: Readable; member: string }> {
  const corrupt = (err: unknown) => new InvalidSiteListError(`site list ${display}: corrupt zip archive: ${(err as Error).message}`);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (err) {
    throw corrupt(err);
  }
  try {
    const { entry, names } = await findListEntry(zip);
    if (!entry) {
      throw new InvalidSiteListError(
        names.length === 0 ? `site list ${display}: the zip archive is empty` : `site list ${display}: no CSV member in the zip archive (it holds ${names.slice(0, 10).join(', ')})`,
      );
    }
    const member = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))));
    // The file closes once the member's stream has ended (yauzl defers close until then).
    zip.close();
    const output = new PassThrough();
    member.on('error', (err) => output.destroy(corrupt(err)));
    output.on('close', () => member.destroy());
    member.pipe(output);
    return { stream: output, member: entry.fileName };
  } catch (err) {
    zip.close();
    if (err instanceof InvalidSiteListError) throw err;
    throw corrupt(err);
  }
}
