// Where a built site goes. The publication activity builds a run's folder locally, then hands it
// to a PublishTarget; another target (an object store, a web host over SFTP) implements the same
// four methods and is passed to createPublishActivities, with no change to the workflow.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface PublishTarget {
  /** For logs and errors, e.g. `folder /srv/dnstats/site`. */
  describe(): string;
  /**
   * Publishes the finished local folder `localDir` as `<name>/`, replacing an earlier copy whole.
   * Each step is checked: a failed copy throws, so the "published" email is never sent for it (PIPE-5).
   */
  publishFolder(localDir: string, name: string): Promise<void>;
  /** A file at the site root (the index page, the manifest, shared assets); null when absent. */
  readFile(key: string): Promise<string | null>;
  writeFile(key: string, content: string | Buffer): Promise<void>;
  /** Public URL of a key (a folder ends with `/`). */
  urlOf(key: string): string;
}

/** Keys are relative paths of plain names: no `..`, no absolute paths, no backslashes. */
export function checkKey(key: string): string {
  const parts = key.split('/');
  if (!key || key.startsWith('/') || key.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`publish key ${JSON.stringify(key)} is not a relative path of plain names`);
  }
  return key;
}

/** The default target: a folder on this machine (served by `dnstats serve`, or by any web server). */
export class LocalFolderTarget implements PublishTarget {
  readonly root: string;

  constructor(
    root: string,
    private readonly publicUrl: string,
  ) {
    this.root = path.resolve(root);
  }

  describe(): string {
    return `folder ${this.root}`;
  }

  /** A folder on the target's file system where a build can be assembled and then renamed into place. */
  stagingDir(): string {
    const dir = path.join(this.root, '.staging', `${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  async publishFolder(localDir: string, name: string): Promise<void> {
    checkKey(name);
    const destination = path.join(this.root, name);
    const incoming = path.join(this.root, `.incoming-${name}-${crypto.randomBytes(4).toString('hex')}`);
    const outgoing = path.join(this.root, `.outgoing-${name}-${crypto.randomBytes(4).toString('hex')}`);
    fs.mkdirSync(this.root, { recursive: true });
    // A rename within the target's file system is atomic; a build elsewhere is copied in first.
    try {
      fs.renameSync(localDir, incoming);
    } catch {
      fs.cpSync(localDir, incoming, { recursive: true });
    }
    const hadPrevious = fs.existsSync(destination);
    if (hadPrevious) fs.renameSync(destination, outgoing);
    fs.renameSync(incoming, destination);
    if (hadPrevious) fs.rmSync(outgoing, { recursive: true, force: true });
  }

  async readFile(key: string): Promise<string | null> {
    try {
      return fs.readFileSync(path.join(this.root, checkKey(key)), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async writeFile(key: string, content: string | Buffer): Promise<void> {
    const file = path.join(this.root, checkKey(key));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.tmp-${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  }

  urlOf(key: string): string {
    return `${this.publicUrl.replace(/\/+$/, '')}/${key}`;
  }
}
