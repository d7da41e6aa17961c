/**
 * Tar, as far as the sandbox needs it: the head tree goes into a container as a tar stream (`PUT /containers/{id}/archive`), and
 * test reports come back as one (`GET …/archive`). Our own ustar code rather than a package: the writer needs exactly one behaviour
 * (regular files read without ever following a symlink, fixed owners and times) and the reader must refuse more than it accepts
 * (only regular files and folders, bounded, checksums checked), which general-purpose tar libraries do the other way round.
 *
 * Writer: ustar headers; a name longer than the 100-byte field gets a PAX extended header (`x`) with its `path`.
 * Reader: ustar and GNU headers, PAX `x` (path, size) and `g` records, GNU `L` long names; anything that is not a regular file or a
 * folder (symlinks, hard links, devices, FIFOs) is listed as skipped, never returned.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isSafeRelativePath } from '../collect/head-tree.js';

const BLOCK = 512;
const CHUNK = 64 * 1024;

export class TarFormatError extends Error {}

// ── writer ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────

interface HeaderFields {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: '0' | '2' | '5' | 'x';
  /** Symbolic links: the target. */
  linkname?: string;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function ustarHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  header.write(fields.name, 0, 100, 'utf8');
  header.write(octal(fields.mode & 0o7777, 8), 100, 8, 'ascii');
  header.write(octal(fields.uid, 8), 108, 8, 'ascii');
  header.write(octal(fields.gid, 8), 116, 8, 'ascii');
  header.write(octal(fields.size, 12), 124, 12, 'ascii');
  header.write(octal(Math.max(0, Math.floor(fields.mtime)), 12), 136, 12, 'ascii');
  header.write(fields.type, 156, 1, 'ascii');
  if (fields.linkname !== undefined) header.write(fields.linkname, 157, 100, 'utf8');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return header;
}

/** One PAX record: `<length> <key>=<value>\n`, where the length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest ? BLOCK - rest : 0, 0);
}

/** The header block(s) of one entry: a PAX header first when the name does not fit the ustar field. */
export function entryHeader(fields: Omit<HeaderFields, 'type'> & { type: '0' | '2' | '5' }): Buffer {
  const longName = Buffer.byteLength(fields.name) > 100;
  const longLink = fields.linkname !== undefined && Buffer.byteLength(fields.linkname) > 100;
  if (!longName && !longLink) return ustarHeader(fields);
  const records = Buffer.from(
    (longName ? paxRecord('path', fields.name) : '') + (longLink && fields.linkname !== undefined ? paxRecord('linkpath', fields.linkname) : ''),
    'utf8',
  );
  // Readers that know PAX take the path from the record; the ustar name field holds its first 100 bytes (whole characters only).
  return Buffer.concat([
    ustarHeader({ ...fields, name: 'PaxHeader', size: records.length, type: 'x', mode: 0o644 }),
    records,
    padding(records.length),
    ustarHeader(fields),
  ]);
}

export interface TreeTarOptions {
  /** The host folder the files are read from. */
  treeRoot: string;
  /** Paths relative to `treeRoot`; undefined: every regular file under it. */
  files?: readonly string[];
  /** The folder every file is put under in the archive (`repo`). */
  top: string;
  /** Owner of every entry. */
  uid: number;
  gid: number;
  /** Modification time of every entry, seconds since the epoch. */
  mtime: number;
  /** Further folders beside `top` (`home`), same owner, mode 0755. */
  extraDirectories?: readonly string[];
  /** Small files beside `top`, written first (a marker, …). */
  extraFiles?: readonly { name: string; content: Buffer; mode: number; uid: number; gid: number }[];
  /** Told about every path left out (a symlink, a device, a path that could escape, a folder behind a symlink). */
  onSkip?(path: string, reason: string): void;
}

/** Every regular file under `root` (relative paths, sorted); symlinks and special files are told to `onSkip`, never followed. */
async function walk(root: string, onSkip: (path: string, reason: string) => void): Promise<string[]> {
  const found: string[] = [];
  const visit = async (relative: string): Promise<void> => {
    const entries = await readdir(relative ? join(root, relative) : root, { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) found.push(path);
      else onSkip(path, entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file');
    }
  };
  await visit('');
  return found.sort();
}

/**
 * The head tree as a tar stream: `top/` and every folder on the way owned by `uid`:`gid` (the volume's own top folder stays
 * root-owned whatever the archive says, so the tree lives one level down), regular files only, each read through a descriptor
 * opened with O_NOFOLLOW whose folders were checked not to be symlinks. A file that changes size while it is read fails the stream.
 */
export function treeTar(options: TreeTarOptions): Readable {
  return Readable.from(treeTarChunks(options), { objectMode: false });
}

/** What both writers put first: the small extra files (a marker), then `top/` and the extra folders, owned by the sandbox user. */
function* layoutEntries(options: Pick<TreeTarOptions, 'uid' | 'gid' | 'mtime' | 'extraDirectories' | 'extraFiles'>, top: string): Generator<Buffer> {
  const { uid, gid, mtime } = options;
  for (const file of options.extraFiles ?? []) {
    yield entryHeader({ name: file.name, mode: file.mode, uid: file.uid, gid: file.gid, size: file.content.length, mtime, type: '0' });
    yield file.content;
    yield padding(file.content.length);
  }
  for (const folder of [top, ...(options.extraDirectories ?? [])]) {
    yield entryHeader({ name: `${folder}/`, mode: 0o755, uid, gid, size: 0, mtime, type: '5' });
  }
}

async function* treeTarChunks(options: TreeTarOptions): AsyncGenerator<Buffer> {
  const { uid, gid, mtime } = options;
  const skip = (path: string, reason: string): void => options.onSkip?.(path, reason);
  const top = options.top.replace(/\/+$/, '');
  yield* layoutEntries(options, top);

  const files = options.files ? [...options.files].sort() : await walk(options.treeRoot, skip);
  /** Folders already written (or found not to be plain folders: false). */
  const folders = new Map<string, boolean>([['', true]]);
  const folderOk = async function* (relative: string): AsyncGenerator<Buffer, boolean> {
    const known = folders.get(relative);
    if (known !== undefined) return known;
    const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    const parentOk: boolean = yield* folderOk(parent);
    let ok = false;
    if (parentOk) {
      const info = await lstat(join(options.treeRoot, relative)).catch(() => undefined);
      ok = info?.isDirectory() === true;
      if (ok) yield entryHeader({ name: `${top}/${relative}/`, mode: 0o755, uid, gid, size: 0, mtime, type: '5' });
      else skip(relative, info?.isSymbolicLink() ? 'a folder that is a symbolic link' : 'a folder that is not a folder');
    }
    folders.set(relative, ok);
    return ok;
  };

  for (const path of files) {
    if (!isSafeRelativePath(path)) {
      skip(path, 'a path that could leave the tree');
      continue;
    }
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (!(yield* folderOk(parent))) continue;
    const handle = await open(join(options.treeRoot, path), constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      skip(path, code === 'ELOOP' ? 'a symbolic link' : `unreadable (${code ?? String(error)})`);
      return undefined;
    });
    if (!handle) continue;
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        skip(path, 'not a regular file');
        continue;
      }
      const mode = info.mode & 0o111 ? 0o755 : 0o644;
      yield entryHeader({ name: `${top}/${path}`, mode, uid, gid, size: info.size, mtime, type: '0' });
      let position = 0;
      while (position < info.size) {
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK, info.size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) throw new Error(`${path} shrank while it was copied into the sandbox (${position} of ${info.size} bytes)`);
        position += bytesRead;
        yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      }
      yield padding(info.size);
    } finally {
      await handle.close();
    }
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

// ── re-owner ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The layout options of `treeTar`, without the folder to read (the tree comes as a stream). */
export type RetarOptions = Omit<TreeTarOptions, 'treeRoot' | 'files'>;

/**
 * A tar stream of a tree (`git archive` of the head commit) rewritten for the sandbox: every entry under `top/`, owned by
 * `uid`:`gid`, one time stamp, modes reduced to 0644/0755; regular files, folders and symbolic links kept (a link resolves inside
 * the container, which has nothing of the runner), everything else and every path that could leave `top/` dropped and told to
 * `onSkip`. Streams: file contents pass through a block at a time, never held whole.
 */
export function retar(source: NodeJS.ReadableStream, options: RetarOptions): Readable {
  return Readable.from(retarChunks(source, options), { objectMode: false });
}

async function* retarChunks(source: NodeJS.ReadableStream, options: RetarOptions): AsyncGenerator<Buffer> {
  const { uid, gid, mtime } = options;
  const top = options.top.replace(/\/+$/, '');
  yield* layoutEntries(options, top);
  const blocks = blockReader(source);
  let local: Record<string, string> = {};
  let longName: string | undefined;
  for (;;) {
    const header = await blocks.take(BLOCK);
    if (header === undefined || header.every((byte) => byte === 0)) break;
    if (!checksumOk(header)) throw new TarFormatError('tar: header checksum mismatch in the tree archive');
    const type = String.fromCharCode(header[156] ?? 0);
    const size = local.size !== undefined && (type === '0' || type === '\0') ? Number(local.size) : numeric(header, 124, 12, 'size');
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError('tar: entry size out of range');
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'g' || type === 'L') {
      if (size > 1024 * 1024) throw new TarFormatError('tar: extended header over 1 MiB');
      const data = (await blocks.take(padded))?.subarray(0, size);
      if (data === undefined) throw new TarFormatError('tar: archive ends inside an extended header');
      if (type === 'x') local = parsePax(data);
      else if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
      // `g`: git's commit id comment; nothing of it applies to the entries.
      continue;
    }
    const prefix = field(header, 345, 155);
    const ustarName = field(header, 257, 6) === 'ustar' && prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const rawName = local.path ?? longName ?? ustarName;
    const linkTarget = local.linkpath ?? field(header, 157, 100);
    local = {};
    longName = undefined;
    const path = normalizeEntryPath(rawName);
    const mode = numeric(header, 100, 8, 'mode') & 0o111 ? 0o755 : 0o644;
    if (path === undefined || path === '.') {
      if (path === undefined) options.onSkip?.(rawName, 'a path that could leave the tree');
      await blocks.skip(padded);
      continue;
    }
    if (type === '5') {
      yield entryHeader({ name: `${top}/${path}/`, mode: 0o755, uid, gid, size: 0, mtime, type: '5' });
      await blocks.skip(padded);
    } else if (type === '2') {
      yield entryHeader({ name: `${top}/${path}`, mode: 0o777, uid, gid, size: 0, mtime, type: '2', linkname: linkTarget });
      await blocks.skip(padded);
    } else if (type === '0' || type === '\0') {
      yield entryHeader({ name: `${top}/${path}`, mode, uid, gid, size, mtime, type: '0' });
      let left = padded;
      while (left > 0) {
        const chunk = await blocks.take(Math.min(left, CHUNK));
        if (chunk === undefined) throw new TarFormatError(`tar: the tree archive ends inside ${path}`);
        left -= chunk.length;
        yield chunk;
      }
    } else {
      options.onSkip?.(path, TYPE_NAMES[type] ?? `entry type ${JSON.stringify(type)}`);
      await blocks.skip(padded);
    }
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

/** Exact-size reads from a byte stream; `undefined` at the end of the stream. */
function blockReader(source: NodeJS.ReadableStream) {
  const iterator = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let pending: Buffer[] = [];
  let buffered = 0;
  let ended = false;
  const fill = async (want: number): Promise<boolean> => {
    while (buffered < want && !ended) {
      const next = await iterator.next();
      if (next.done) ended = true;
      else {
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        pending.push(chunk);
        buffered += chunk.length;
      }
    }
    return buffered >= want;
  };
  const take = async (size: number): Promise<Buffer | undefined> => {
    if (size === 0) return Buffer.alloc(0);
    if (!(await fill(size))) return undefined;
    const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    const out = all.subarray(0, size);
    const rest = all.subarray(size);
    pending = rest.length > 0 ? [rest] : [];
    buffered = rest.length;
    return out;
  };
  return {
    take,
    async skip(size: number): Promise<void> {
      let left = size;
      while (left > 0) {
        const chunk = await take(Math.min(left, CHUNK));
        if (chunk === undefined) throw new TarFormatError('tar: the tree archive ends inside an entry');
        left -= chunk.length;
      }
    },
  };
}

// ── reader ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface TarEntry {
  /** Normalized: no leading `./` or `/`, no trailing `/`. */
  path: string;
  type: 'file' | 'directory';
  mode: number;
  size: number;
  /** Contents of a file (empty for a folder). */
  data: Buffer;
}

export interface TarListing {
  entries: TarEntry[];
  /** Entries not returned, each with its type or reason (`symbolic link -> /etc/passwd`, `over 10485760 bytes`). */
  skipped: { path: string; reason: string }[];
}

export interface TarReadLimits {
  /** Entries read at most (every kind); past that the reader stops with an error. */
  maxEntries?: number;
  /** A file larger than this is skipped (listed), not returned. */
  maxFileBytes?: number;
}

const TYPE_NAMES: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
};

function field(header: Buffer, offset: number, length: number): string {
  const slice = header.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? length : end).toString('utf8');
}

function numeric(header: Buffer, offset: number, length: number, what: string): number {
  const first = header[offset] ?? 0;
  if (first & 0x80) {
    // GNU base-256: big-endian, the top bit of the first byte is the marker.
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (header[offset + i] ?? 0);
    if (!Number.isSafeInteger(value)) throw new TarFormatError(`tar header: ${what} out of range`);
    return value;
  }
  const text = field(header, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`tar header: ${what} is not octal: ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = numeric(header, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || offset + length > data.length) throw new TarFormatError('tar: malformed PAX record');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

function normalizeEntryPath(raw: string): string | undefined {
  const path = raw.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return '.';
  return isSafeRelativePath(path) ? path : undefined;
}

/** The entries of a tar archive held in memory (what `getArchive` returns), within `limits`. */
export function readTar(archive: Buffer, limits: TarReadLimits = {}): TarListing {
  const maxEntries = limits.maxEntries ?? 10_000;
  const maxFileBytes = limits.maxFileBytes ?? Infinity;
  const listing: TarListing = { entries: [], skipped: [] };
  let global: Record<string, string> = {};
  let local: Record<string, string> = {};
  let longName: string | undefined;
  let count = 0;
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return listing;
    if (++count > maxEntries) throw new TarFormatError(`tar: more than ${maxEntries} entries`);
    if (!checksumOk(header)) throw new TarFormatError(`tar: header checksum mismatch at byte ${offset}`);
    const type = String.fromCharCode(header[156] ?? 0);
    const headerSize = numeric(header, 124, 12, 'size');
    const paxSize = local.size ?? global.size;
    const size = (type === '0' || type === '\0' || type === '7') && paxSize !== undefined ? Number(paxSize) : headerSize;
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError('tar: entry size out of range');
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw new TarFormatError('tar: archive ends inside an entry');
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x') {
      local = parsePax(data);
      continue;
    }
    if (type === 'g') {
      global = { ...global, ...parsePax(data) };
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'K') continue; // GNU long link name: only for links, which are skipped anyway

    const prefix = field(header, 345, 155);
    const ustarName = field(header, 257, 6) === 'ustar' && prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const rawName = local.path ?? longName ?? global.path ?? ustarName;
    const linkTarget = local.linkpath ?? field(header, 157, 100);
    local = {};
    longName = undefined;

    const path = normalizeEntryPath(rawName);
    if (path === undefined) {
      listing.skipped.push({ path: rawName, reason: 'a path that could leave the folder' });
      continue;
    }
    const mode = numeric(header, 100, 8, 'mode');
    if (type === '5') {
      listing.entries.push({ path, type: 'directory', mode, size: 0, data: Buffer.alloc(0) });
    } else if (type === '0' || type === '\0' || type === '7') {
      if (size > maxFileBytes) listing.skipped.push({ path, reason: `over ${maxFileBytes} bytes (${size})` });
      else listing.entries.push({ path, type: 'file', mode, size, data: Buffer.from(data) });
    } else {
      const name = TYPE_NAMES[type] ?? `entry type ${JSON.stringify(type)}`;
      listing.skipped.push({ path, reason: type === '1' || type === '2' ? `${name} -> ${linkTarget}` : name });
    }
  }
  if (offset < archive.length || listing.entries.length + listing.skipped.length === 0) {
    // Ended without the two zero blocks: a truncated archive (an empty buffer is no archive at all).
    throw new TarFormatError('tar: archive truncated');
  }
  return listing;
}
