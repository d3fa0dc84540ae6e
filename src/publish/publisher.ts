// Builds a run's folder (reports, statistics, page, assets) and publishes it with the root index.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/connection';
import { writeRunReports, type ReportFile } from './reports';
import { collectRunStatistics, type RunStatistics } from './statistics';
import {
  manifestEntryOf,
  parseManifest,
  renderIndexPage,
  renderRunPage,
  runFolderName,
  updateManifest,
  writeAssets,
} from './site';
import { LocalFolderTarget, type PublishTarget } from './target';

export const MANIFEST_KEY = 'runs.json';

export interface PublishedRun {
  runId: number;
  folder: string;
  url: string;
  graded: number;
  reports: number;
  reportRows: number;
  bytes: number;
}

export interface BuildProgress {
  (step: string): void;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : fs.statSync(full).size;
  }
  return total;
}

/** Builds the run's folder under `stagingRoot` and returns it with what went into it. */
export async function buildRunFolder(
  db: Db,
  runId: number,
  stagingRoot: string,
  manifestBefore: ReturnType<typeof parseManifest>,
  progress: BuildProgress = () => undefined,
): Promise<{ dir: string; folder: string; stats: RunStatistics; reports: ReportFile[] }> {
  const stats = await collectRunStatistics(db, runId);
  progress('statistics');
  const folder = runFolderName(runId, stats.run.startedAt);
  const dir = path.join(stagingRoot, folder);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const reports = await writeRunReports(db, runId, dir, { onReport: (r) => progress(`report ${r.name}`) });
  const manifest = updateManifest(manifestBefore, manifestEntryOf(stats, folder));
  fs.writeFileSync(path.join(dir, 'stats.json'), JSON.stringify({ ...stats, reports: reports.map(({ name, file, rows, kind }) => ({ name, file, rows, kind })) }, null, 1));
  fs.writeFileSync(path.join(dir, 'index.html'), renderRunPage(stats, reports, manifest));
  writeAssets(dir);
  progress('page');
  return { dir, folder, stats, reports };
}

/**
 * Publishes one run: its folder, then the manifest, the shared assets and the root index (in that
 * order, so the index never links to a folder that is not there yet).
 */
export async function publishRunSite(db: Db, target: PublishTarget, runId: number, progress: BuildProgress = () => undefined): Promise<PublishedRun> {
  const stagingRoot = target instanceof LocalFolderTarget ? target.stagingDir() : fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-publish-'));
  try {
    const manifestBefore = parseManifest(await target.readFile(MANIFEST_KEY), `${target.describe()}/${MANIFEST_KEY}`);
    const built = await buildRunFolder(db, runId, stagingRoot, manifestBefore, progress);
    const bytes = folderBytes(built.dir);
    await target.publishFolder(built.dir, built.folder);
    progress('folder published');
    const manifest = updateManifest(manifestBefore, manifestEntryOf(built.stats, built.folder));
    await target.writeFile(MANIFEST_KEY, JSON.stringify(manifest, null, 1));
    const assets = path.join(stagingRoot, 'root-assets');
    writeAssets(assets);
    for (const file of fs.readdirSync(path.join(assets, 'assets'))) {
      await target.writeFile(`assets/${file}`, fs.readFileSync(path.join(assets, 'assets', file)));
    }
    await target.writeFile('index.html', renderIndexPage(manifest));
    progress('index published');
    return {
      runId,
      folder: built.folder,
      url: target.urlOf(`${built.folder}/`),
      graded: built.stats.run.graded,
      reports: built.reports.length,
      reportRows: built.reports.reduce((n, r) => n + r.rows, 0),
      bytes,
    };
  } finally {
    fs.rmSync(stagingRoot, { recursive: true, force: true });
    // The shared `.staging` parent goes too once no other build is using it.
    if (target instanceof LocalFolderTarget) {
      try {
        fs.rmdirSync(path.dirname(stagingRoot)); // fails, harmlessly, while it is not empty
      } catch {
        /* another build is staging */
      }
    }
  }
}

