import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ReviewReport } from '../types.js';
import { buildSarif, serializeSarif } from './sarif.js';

/** Writes the SARIF log (creating its folder) and returns the absolute path. */
export async function writeSarifFile(path: string, report: ReviewReport): Promise<string> {
  const absolute = resolve(path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, serializeSarif(buildSarif(report)));
  return absolute;
}
