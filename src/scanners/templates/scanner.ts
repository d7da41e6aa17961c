/**
 * The template scanner: EJS, Handlebars/Mustache, Pug and Jinja/Nunjucks/Django files of the pull request, read by a small tokenizer
 * per family (ast-grep has no grammar for them), reported with exact lines and columns. Autoescaping turned off in code (engine
 * setup) is the ast-grep pack's job: `rules/{javascript,python}/template-autoescape-disabled.yml`.
 *
 * PR content is hostile: only the reviewable files of the head tree are read, never through a symlink, with the size checked before
 * reading; each file and the whole scan have a time limit. A file that is too large, binary, not UTF-8, over its time limit, or that
 * stops being readable as a template (an unclosed tag) is listed in `filesNotScanned` with the reason — never dropped silently.
 */
import { readRegularFile, safeJoin } from '../../collect/head-tree.js';
import { redactSecrets } from '../../text/redact.js';
import { compareStrings, cutAround, plural } from '../../text/strings.js';
import { isTestPath } from '../../text/test-paths.js';
import { atMost, type Finding, type ScanReport } from '../../types.js';
import type { Scanner, ScanPorts, ScanResult } from '../scanner.js';
import { tokenizeEjs } from './ejs.js';
import { scriptsOverHttp } from './insecure-resources.js';
import { tokenizeHandlebars } from './handlebars.js';
import { tokenizeJinja } from './jinja.js';
import { LineIndex, TemplateTimeLimit, timeBudget, type Budget, type TokenizeResult } from './lexing.js';
import { tokenizePug } from './pug.js';
import { ejsNumericNames, familyByContent, familyByName, ruleFor, severityOf, templateRuleInfos, type TemplateFamily } from './rules.js';

export const TEMPLATES_SCANNER = 'templates';

export interface TemplatesSettings {
  /** Largest template read (bytes); default 1 MiB. */
  maxFileBytes?: number;
  /** Per file; default 10 seconds. */
  fileTimeoutMs?: number;
  /** For the whole scan; default 2 minutes. */
  scanTimeoutMs?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

export const DEFAULT_MAX_TEMPLATE_BYTES = 1024 * 1024;
export const DEFAULT_TEMPLATE_FILE_TIMEOUT_MS = 10_000;
export const DEFAULT_TEMPLATE_SCAN_TIMEOUT_MS = 120_000;
/** Evidence keeps at most this many lines of a multi-line tag, each cut to this width around the match. */
const EVIDENCE_LINES = 6;
const EVIDENCE_WIDTH = 240;

export function createTemplatesScanner(settings: TemplatesSettings = {}): Scanner {
  return { name: TEMPLATES_SCANNER, run: (ports) => scanTemplates(settings, ports) };
}

const TOKENIZERS: Readonly<Record<TemplateFamily, (text: string, budget: Budget) => TokenizeResult>> = {
  ejs: tokenizeEjs,
  handlebars: tokenizeHandlebars,
  pug: tokenizePug,
  jinja: tokenizeJinja,
};

/**
 * Each file is read and tokenized synchronously (files are small and capped, and a tokenizer's time budget must not be spent waiting
 * on other work); between files the event loop gets a turn, so that the scanners running beside this one keep reading their output.
 */
export async function scanTemplates(settings: TemplatesSettings, ports: Pick<ScanPorts, 'tree' | 'onFileScanned' | 'signal'>): Promise<ScanResult> {
  const now = settings.now ?? Date.now;
  const started = now();
  const maxBytes = settings.maxFileBytes ?? DEFAULT_MAX_TEMPLATE_BYTES;
  const fileTimeoutMs = settings.fileTimeoutMs ?? DEFAULT_TEMPLATE_FILE_TIMEOUT_MS;
  const scanDeadline = started + (settings.scanTimeoutMs ?? DEFAULT_TEMPLATE_SCAN_TIMEOUT_MS);
  const findings: Finding[] = [];
  const notScanned: { path: string; reason: string }[] = [];
  let filesScanned = 0;

  for (const path of ports.tree.files) {
    const byName = familyByName(path);
    if (byName === undefined) continue;
    await new Promise((resolve) => setImmediate(resolve));
    if (ports.signal?.aborted) throw new Error('the scan was cancelled');
    if (now() > scanDeadline) {
      notScanned.push({ path, reason: "the template scan's time limit ran out before this file" });
      continue;
    }
    const read = readTemplate(ports.tree.root, path, maxBytes);
    if ('reason' in read) {
      notScanned.push({ path, reason: read.reason });
      continue;
    }
    const family = byName === 'html' ? familyByContent(read.text) : byName;
    // An .html file without template syntax is plain HTML: not a template, nothing for this scanner.
    if (family === undefined) continue;
    ports.onFileScanned?.(path);
    let result: TokenizeResult;
    try {
      result = TOKENIZERS[family](read.text, timeBudget(Math.min(fileTimeoutMs, Math.max(1, scanDeadline - now())), now));
    } catch (error) {
      if (!(error instanceof TemplateTimeLimit)) throw error;
      notScanned.push({ path, reason: `not scanned: ${error.message}` });
      continue;
    }
    filesScanned++;
    const lines = new LineIndex(read.text);
    const inTests = isTestPath(path);
    const numericNames = family === 'ejs' ? ejsNumericNames(read.text) : undefined;
    for (const site of [...result.sites, ...scriptsOverHttp(read.text)]) {
      const severity = severityOf(site.kind, site.value, path, numericNames);
      if (severity === undefined) continue;
      // Templates in test or example code (fixtures of an escaping test, an example app's views, …) are reported, never above medium: the same rule as rules without
      // `metadata.in-tests` in the ast-grep scanner.
      findings.push(findingOf(path, lines, site.kind, site.start, site.end, inTests ? atMost(severity, 'medium') : severity));
    }
    if (result.stopped) {
      const at = lines.position(result.stopped.offset);
      notScanned.push({ path, reason: `${result.stopped.reason} (line ${at.line}, column ${at.column}): the rest of the file was not scanned` });
    }
  }

  findings.sort((a, b) => compareStrings(a.path, b.path) || a.startLine - b.startLine || (a.startColumn ?? 0) - (b.startColumn ?? 0));
  notScanned.sort((a, b) => compareStrings(a.path, b.path));
  const report: ScanReport = {
    scanner: TEMPLATES_SCANNER,
    status: notScanned.length > 0 ? 'degraded' : 'ok',
    findings,
    durationMs: now() - started,
    filesScanned,
    rulesRun: templateRuleInfos().length,
    warnings: notScanned.map((file) => `${file.path}: ${file.reason}`),
  };
  if (notScanned.length > 0) {
    report.reason = `${plural(notScanned.length, 'template file')} could not be scanned in full (see the warnings)`;
    report.filesNotScanned = notScanned;
  }
  return { report, rules: templateRuleInfos() };
}

function findingOf(path: string, lines: LineIndex, kind: Parameters<typeof ruleFor>[0], start: number, end: number, severity: Finding['severity']): Finding {
  const rule = ruleFor(kind);
  const from = lines.position(start);
  // The end is exclusive; a site never ends with a line break, so the last character's line is the end line.
  const to = lines.position(Math.max(start, end - 1));
  const evidence: string[] = [];
  for (let line = from.line; line <= to.line && evidence.length < EVIDENCE_LINES; line++) {
    const text = lines.lineText(line);
    evidence.push(cutAround(text, line === from.line ? from.column - 1 : 0, EVIDENCE_WIDTH));
  }
  return {
    ruleId: rule.id,
    source: TEMPLATES_SCANNER,
    severity,
    path,
    startLine: from.line,
    endLine: to.line,
    startColumn: from.column,
    endColumn: to.column + 1,
    message: rule.message,
    note: rule.note,
    evidence: redactSecrets(evidence.join('\n')),
    fingerprint: '',
    helpUri: rule.helpUri,
  };
}

/**
 * One file of the head tree, as text: a regular file (lstat, then opened without following a symlink and checked again on the
 * descriptor), at most `maxBytes` (known before reading), with no NUL byte, valid UTF-8.
 */
function readTemplate(root: string, path: string, maxBytes: number): { text: string } | { reason: string } {
  const full = safeJoin(root, path);
  if (full === undefined) return { reason: 'unsafe path' };
  const read = readRegularFile(full, maxBytes);
  if ('tooLarge' in read) return { reason: `too large for the template scan: ${read.tooLarge} bytes (limit ${maxBytes})` };
  if ('not' in read) return { reason: read.not === 'missing' ? 'missing from the head tree' : 'not a regular file' };
  if ('error' in read) return { reason: `unreadable: ${read.error}` };
  if (read.bytes.includes(0)) return { reason: 'binary content (a NUL byte)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(read.bytes) };
  } catch {
    return { reason: 'not valid UTF-8' };
  }
}
