import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { open, lstat, readdir, mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { i as isSafeRelativePath, S as SANDBOX_ROOT, a as SANDBOX_GID, b as SANDBOX_UID, c as SANDBOX_WORKDIR, d as SANDBOX_HOME, g as gitattributesPatternToRegExp } from './sandbox.js';
import { C as ConfigurationError, g as getErrorMessage } from './errors.js';
import { a as formatBinaryBytes } from './strings.js';
import { ArchiveTooLargeError, COMPONENT_LABEL } from './docker-engine.js';
import { Readable } from 'node:stream';

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
const BLOCK = 512;
const CHUNK = 64 * 1024;
class TarFormatError extends Error {
}
function octal(value, length) {
    return value.toString(8).padStart(length - 1, '0') + '\0';
}
function ustarHeader(fields) {
    const header = Buffer.alloc(BLOCK, 0);
    header.write(fields.name, 0, 100, 'utf8');
    header.write(octal(fields.mode & 0o7777, 8), 100, 8, 'ascii');
    header.write(octal(fields.uid, 8), 108, 8, 'ascii');
    header.write(octal(fields.gid, 8), 116, 8, 'ascii');
    header.write(octal(fields.size, 12), 124, 12, 'ascii');
    header.write(octal(Math.max(0, Math.floor(fields.mtime)), 12), 136, 12, 'ascii');
    header.write(fields.type, 156, 1, 'ascii');
    if (fields.linkname !== undefined)
        header.write(fields.linkname, 157, 100, 'utf8');
    header.write('ustar\0', 257, 6, 'ascii');
    header.write('00', 263, 2, 'ascii');
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header)
        sum += byte;
    header.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
    return header;
}
/** One PAX record: `<length> <key>=<value>\n`, where the length counts its own digits. */
function paxRecord(key, value) {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body);
    while (String(length).length + Buffer.byteLength(body) !== length)
        length = String(length).length + Buffer.byteLength(body);
    return `${length}${body}`;
}
function padding(size) {
    const rest = size % BLOCK;
    return Buffer.alloc(rest ? BLOCK - rest : 0, 0);
}
/** The header block(s) of one entry: a PAX header first when the name does not fit the ustar field. */
function entryHeader(fields) {
    const longName = Buffer.byteLength(fields.name) > 100;
    const longLink = fields.linkname !== undefined && Buffer.byteLength(fields.linkname) > 100;
    if (!longName && !longLink)
        return ustarHeader(fields);
    const records = Buffer.from((longName ? paxRecord('path', fields.name) : '') + (longLink && fields.linkname !== undefined ? paxRecord('linkpath', fields.linkname) : ''), 'utf8');
    // Readers that know PAX take the path from the record; the ustar name field holds its first 100 bytes (whole characters only).
    return Buffer.concat([
        ustarHeader({ ...fields, name: 'PaxHeader', size: records.length, type: 'x', mode: 0o644 }),
        records,
        padding(records.length),
        ustarHeader(fields),
    ]);
}
/** Every regular file under `root` (relative paths, sorted); symlinks and special files are told to `onSkip`, never followed. */
async function walk(root, onSkip) {
    const found = [];
    const visit = async (relative) => {
        const entries = await readdir(relative ? join(root, relative) : root, { withFileTypes: true });
        for (const entry of entries) {
            const path = relative ? `${relative}/${entry.name}` : entry.name;
            if (entry.isDirectory())
                await visit(path);
            else if (entry.isFile())
                found.push(path);
            else
                onSkip(path, entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file');
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
function treeTar(options) {
    return Readable.from(treeTarChunks(options), { objectMode: false });
}
/** What both writers put first: the small extra files (a marker), then `top/` and the extra folders, owned by the sandbox user. */
function* layoutEntries(options, top) {
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
async function* treeTarChunks(options) {
    const { uid, gid, mtime } = options;
    const skip = (path, reason) => options.onSkip?.(path, reason);
    const top = options.top.replace(/\/+$/, '');
    yield* layoutEntries(options, top);
    const files = options.files ? [...options.files].sort() : await walk(options.treeRoot, skip);
    /** Folders already written (or found not to be plain folders: false). */
    const folders = new Map([['', true]]);
    const folderOk = async function* (relative) {
        const known = folders.get(relative);
        if (known !== undefined)
            return known;
        const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
        const parentOk = yield* folderOk(parent);
        let ok = false;
        if (parentOk) {
            const info = await lstat(join(options.treeRoot, relative)).catch(() => undefined);
            ok = info?.isDirectory() === true;
            if (ok)
                yield entryHeader({ name: `${top}/${relative}/`, mode: 0o755, uid, gid, size: 0, mtime, type: '5' });
            else
                skip(relative, info?.isSymbolicLink() ? 'a folder that is a symbolic link' : 'a folder that is not a folder');
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
        if (!(yield* folderOk(parent)))
            continue;
        const handle = await open(join(options.treeRoot, path), constants.O_RDONLY | constants.O_NOFOLLOW).catch((error) => {
            const code = error.code;
            skip(path, code === 'ELOOP' ? 'a symbolic link' : `unreadable (${code ?? String(error)})`);
            return undefined;
        });
        if (!handle)
            continue;
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
                if (bytesRead === 0)
                    throw new Error(`${path} shrank while it was copied into the sandbox (${position} of ${info.size} bytes)`);
                position += bytesRead;
                yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
            }
            yield padding(info.size);
        }
        finally {
            await handle.close();
        }
    }
    yield Buffer.alloc(BLOCK * 2, 0);
}
/**
 * A tar stream of a tree (`git archive` of the head commit) rewritten for the sandbox: every entry under `top/`, owned by
 * `uid`:`gid`, one time stamp, modes reduced to 0644/0755; regular files, folders and symbolic links kept (a link resolves inside
 * the container, which has nothing of the runner), everything else and every path that could leave `top/` dropped and told to
 * `onSkip`. Streams: file contents pass through a block at a time, never held whole.
 */
function retar(source, options) {
    return Readable.from(retarChunks(source, options), { objectMode: false });
}
async function* retarChunks(source, options) {
    const { uid, gid, mtime } = options;
    const top = options.top.replace(/\/+$/, '');
    yield* layoutEntries(options, top);
    const blocks = blockReader(source);
    let local = {};
    let longName;
    for (;;) {
        const header = await blocks.take(BLOCK);
        if (header === undefined || header.every((byte) => byte === 0))
            break;
        if (!checksumOk(header))
            throw new TarFormatError('tar: header checksum mismatch in the tree archive');
        const type = String.fromCharCode(header[156] ?? 0);
        const size = local.size !== undefined && (type === '0' || type === '\0') ? Number(local.size) : numeric(header, 124, 12, 'size');
        if (!Number.isSafeInteger(size) || size < 0)
            throw new TarFormatError('tar: entry size out of range');
        const padded = Math.ceil(size / BLOCK) * BLOCK;
        if (type === 'x' || type === 'g' || type === 'L') {
            if (size > 1024 * 1024)
                throw new TarFormatError('tar: extended header over 1 MiB');
            const data = (await blocks.take(padded))?.subarray(0, size);
            if (data === undefined)
                throw new TarFormatError('tar: archive ends inside an extended header');
            if (type === 'x')
                local = parsePax(data);
            else if (type === 'L')
                longName = data.toString('utf8').replace(/\0.*$/s, '');
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
            if (path === undefined)
                options.onSkip?.(rawName, 'a path that could leave the tree');
            await blocks.skip(padded);
            continue;
        }
        if (type === '5') {
            yield entryHeader({ name: `${top}/${path}/`, mode: 0o755, uid, gid, size: 0, mtime, type: '5' });
            await blocks.skip(padded);
        }
        else if (type === '2') {
            yield entryHeader({ name: `${top}/${path}`, mode: 0o777, uid, gid, size: 0, mtime, type: '2', linkname: linkTarget });
            await blocks.skip(padded);
        }
        else if (type === '0' || type === '\0') {
            yield entryHeader({ name: `${top}/${path}`, mode, uid, gid, size, mtime, type: '0' });
            let left = padded;
            while (left > 0) {
                const chunk = await blocks.take(Math.min(left, CHUNK));
                if (chunk === undefined)
                    throw new TarFormatError(`tar: the tree archive ends inside ${path}`);
                left -= chunk.length;
                yield chunk;
            }
        }
        else {
            options.onSkip?.(path, TYPE_NAMES[type] ?? `entry type ${JSON.stringify(type)}`);
            await blocks.skip(padded);
        }
    }
    yield Buffer.alloc(BLOCK * 2, 0);
}
/** Exact-size reads from a byte stream; `undefined` at the end of the stream. */
function blockReader(source) {
    const iterator = source[Symbol.asyncIterator]();
    let pending = [];
    let buffered = 0;
    let ended = false;
    const fill = async (want) => {
        while (buffered < want && !ended) {
            const next = await iterator.next();
            if (next.done)
                ended = true;
            else {
                const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
                pending.push(chunk);
                buffered += chunk.length;
            }
        }
        return buffered >= want;
    };
    const take = async (size) => {
        if (size === 0)
            return Buffer.alloc(0);
        if (!(await fill(size)))
            return undefined;
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        const out = all.subarray(0, size);
        const rest = all.subarray(size);
        pending = rest.length > 0 ? [rest] : [];
        buffered = rest.length;
        return out;
    };
    return {
        take,
        async skip(size) {
            let left = size;
            while (left > 0) {
                const chunk = await take(Math.min(left, CHUNK));
                if (chunk === undefined)
                    throw new TarFormatError('tar: the tree archive ends inside an entry');
                left -= chunk.length;
            }
        },
    };
}
const TYPE_NAMES = {
    '1': 'hard link',
    '2': 'symbolic link',
    '3': 'character device',
    '4': 'block device',
    '6': 'FIFO',
};
function field(header, offset, length) {
    const slice = header.subarray(offset, offset + length);
    const end = slice.indexOf(0);
    return slice.subarray(0, end === -1 ? length : end).toString('utf8');
}
function numeric(header, offset, length, what) {
    const first = header[offset] ?? 0;
    if (first & 0x80) {
        // GNU base-256: big-endian, the top bit of the first byte is the marker.
        let value = first & 0x7f;
        for (let i = 1; i < length; i++)
            value = value * 256 + (header[offset + i] ?? 0);
        if (!Number.isSafeInteger(value))
            throw new TarFormatError(`tar header: ${what} out of range`);
        return value;
    }
    const text = field(header, offset, length).trim();
    if (text === '')
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw new TarFormatError(`tar header: ${what} is not octal: ${JSON.stringify(text)}`);
    return parseInt(text, 8);
}
function checksumOk(header) {
    const stored = numeric(header, 148, 8, 'checksum');
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK; i++) {
        const byte = i >= 148 && i < 156 ? 0x20 : header[i];
        unsigned += byte;
        signed += byte > 127 ? byte - 256 : byte;
    }
    return stored === unsigned || stored === signed;
}
function parsePax(data) {
    const records = {};
    let offset = 0;
    while (offset < data.length) {
        const space = data.indexOf(0x20, offset);
        if (space === -1)
            break;
        const length = Number(data.subarray(offset, space).toString('ascii'));
        if (!Number.isInteger(length) || length <= 0 || offset + length > data.length)
            throw new TarFormatError('tar: malformed PAX record');
        const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
        const equals = record.indexOf('=');
        if (equals > 0)
            records[record.slice(0, equals)] = record.slice(equals + 1);
        offset += length;
    }
    return records;
}
function normalizeEntryPath(raw) {
    const path = raw.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    if (path === '' || path === '.')
        return '.';
    return isSafeRelativePath(path) ? path : undefined;
}
/** The entries of a tar archive held in memory (what `getArchive` returns), within `limits`. */
function readTar(archive, limits = {}) {
    const maxEntries = limits.maxEntries ?? 10_000;
    const maxFileBytes = limits.maxFileBytes ?? Infinity;
    const listing = { entries: [], skipped: [] };
    let global = {};
    let local = {};
    let longName;
    let count = 0;
    let offset = 0;
    while (offset + BLOCK <= archive.length) {
        const header = archive.subarray(offset, offset + BLOCK);
        if (header.every((byte) => byte === 0))
            return listing;
        if (++count > maxEntries)
            throw new TarFormatError(`tar: more than ${maxEntries} entries`);
        if (!checksumOk(header))
            throw new TarFormatError(`tar: header checksum mismatch at byte ${offset}`);
        const type = String.fromCharCode(header[156] ?? 0);
        const headerSize = numeric(header, 124, 12, 'size');
        const paxSize = local.size ?? global.size;
        const size = (type === '0' || type === '\0' || type === '7') && paxSize !== undefined ? Number(paxSize) : headerSize;
        if (!Number.isSafeInteger(size) || size < 0)
            throw new TarFormatError('tar: entry size out of range');
        const dataStart = offset + BLOCK;
        const dataEnd = dataStart + size;
        if (dataEnd > archive.length)
            throw new TarFormatError('tar: archive ends inside an entry');
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
        if (type === 'K')
            continue; // GNU long link name: only for links, which are skipped anyway
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
        }
        else if (type === '0' || type === '\0' || type === '7') {
            if (size > maxFileBytes)
                listing.skipped.push({ path, reason: `over ${maxFileBytes} bytes (${size})` });
            else
                listing.entries.push({ path, type: 'file', mode, size, data: Buffer.from(data) });
        }
        else {
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

/**
 * The Docker backend of the sandbox seam (`sandbox.ts`): the pull request's commands run in containers on the runner's engine,
 * locked down as DESIGN §6 lists, over one scratch volume per run.
 *
 * A run, in order:
 * 1. One labelled volume, mounted at `/sandbox` in every container of the run. The head tree goes in as a tar through the first
 *    container (created, not started) with `PUT …/archive`: with a read-only root file system a volume is the only place a PUT
 *    lands (elsewhere 500; into a tmpfs 200, but the files never appear). The volume's own top folder stays root-owned, so the tar
 *    holds `repo/` and `home/` owned by uid 1000, and a root-owned start marker beside them.
 * 2. Each phase in a fresh container over that volume: uid 1000, all capabilities dropped, no-new-privileges, read-only root, tmpfs
 *    `/tmp`, pids / memory (no swap) / CPU limits, nofile / nproc ulimits, docker-init as PID 1, no bind mount (so no docker
 *    socket), the setup phase on the network it asks for and the test phase on none. The environment is the request's allowlist
 *    plus HOME, CI, TMPDIR and cache locations: never anything of this process's own environment.
 * 3. One hard deadline over all phases: the container is killed and the phase is `timed-out`. A memory kill is read from
 *    `State.OOMKilled`, never guessed from exit code 137 (which our own kill gives too; and a child can be OOM-killed while the
 *    shell goes on to exit 0).
 * 4. Reports: a short step of ours lists, with `find -newer <start marker>`, the files written during the run (pruning
 *    node_modules, .git and virtualenvs, so nothing big is listed); those matching `collect` come back one by one with `GET …/archive`
 *    from the stopped container (the volume outlives it; tmpfs contents do not), as regular files within the bounds.
 * 5. The containers and the volume are removed whatever happened; they carry the run's labels, so the `post:` step's `cleanupRun`
 *    removes them after a crash too.
 */
/** Root-owned, in the volume's top folder (which uid 1000 cannot write): `find -newer` compares against it. */
const START_MARKER = `${SANDBOX_ROOT}/.ultra-create-start`;
const DEFAULT_COLLECT_LIMITS = { files: 50, bytesPerFile: 10 * 1024 * 1024 };
/** Lines kept for `logTail`. */
const TAIL_LINES = 150;
/** A longer line is cut in the log (a test printing megabytes without a newline). */
const MAX_LINE_CHARS = 16 * 1024;
/** The log file on the runner: a test that prints without end must not fill the runner's disk before the deadline. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** The listing step and the copies out, on top of the deadline (which bounds the user's commands only). */
const COLLECT_BUDGET_MS = 30_000;
/** Files listed by the listing step at most. */
const LISTING_MAX = 5_000;
/** How long the log stream may lag behind the container's exit. */
const LOG_DRAIN_MS = 2_000;
const TMP_BYTES_MAX = 512 * 1024 * 1024;
/** Folders never listed for reports: dependencies, VCS data and virtualenvs are big and never reports. */
const PRUNED = ['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', '.pnpm-store', '.yarn'];
/**
 * Runs the phase's command; when the image's own /tmp is not writable for uid 1000 (a tmpfs over a folder of the image keeps that
 * folder's mode: images ship 1777, but not all), TMPDIR moves to the home folder and the log says why.
 */
const PHASE_WRAPPER = 'if [ ! -w /tmp ]; then echo "ultra-create sandbox: /tmp is not writable for uid $(id -u) (the image\'s /tmp mode); TMPDIR=$HOME/.tmp" >&2; ' +
    'export TMPDIR="$HOME/.tmp"; mkdir -p "$TMPDIR"; fi; exec /bin/sh -c "$1"';
async function createDockerSandbox(engine, options) {
    const info = await engine.info();
    if (options.runtime && !info.runtimes.includes(options.runtime)) {
        throw new ConfigurationError(`sandbox-runtime: the Docker engine (${info.serverVersion}) has no runtime "${options.runtime}"; it has ${info.runtimes.join(', ') || 'none listed'}. ` +
            'Install and register it with the engine (for gVisor: runsc install, then restart dockerd), or leave sandbox-runtime empty.');
    }
    const runtime = options.runtime ?? info.defaultRuntime;
    return new DockerSandbox(engine, options.runtime, runtime, options.logger);
}
/** The combined log: every line redacted, written in full to the log file, the last lines kept. */
class RunLog {
    redact;
    maxBytes;
    tail = [];
    written = 0;
    file;
    failure;
    constructor(path, redact, maxBytes = MAX_LOG_BYTES) {
        this.redact = redact;
        this.maxBytes = maxBytes;
        this.file = createWriteStream(path, { flags: 'w', mode: 0o600 });
        this.file.on('error', (error) => (this.failure = error));
    }
    line(text) {
        const cut = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} … [line cut at ${MAX_LINE_CHARS} characters]` : text;
        // The tail is redacted when it is read: a flood of output costs one redaction per kept line, not one per line printed.
        this.tail.push(cut);
        if (this.tail.length > TAIL_LINES)
            this.tail.shift();
        if (this.written >= this.maxBytes)
            return;
        const clean = `${this.redact(cut)}\n`;
        this.written += Buffer.byteLength(clean);
        this.file.write(this.written < this.maxBytes ? clean : `${clean}… [log cut at ${this.maxBytes} bytes: the rest is not kept; the last lines are in the report]\n`);
    }
    tailText() {
        return this.tail.map((line) => this.redact(line)).join('\n');
    }
    close() {
        return new Promise((resolve) => this.file.end(() => resolve(this.failure)));
    }
}
class DockerSandbox {
    engine;
    requestedRuntime;
    logger;
    description;
    constructor(engine, 
    /** The runtime to ask for explicitly (undefined: the engine's default). */
    requestedRuntime, runtimeName, logger) {
        this.engine = engine;
        this.requestedRuntime = requestedRuntime;
        this.logger = logger;
        this.description = `docker (${runtimeName})`;
    }
    async run(request) {
        const started = Date.now();
        const deadline = started + request.limits.timeoutMs;
        const engine = this.engine;
        const token = randomBytes(6).toString('hex');
        const labels = { [COMPONENT_LABEL]: 'sandbox' };
        const containers = [];
        let volume;
        await mkdir(dirname(request.logFile), { recursive: true });
        const log = new RunLog(request.logFile, (text) => request.redact(text));
        const phases = [];
        const applied = [];
        const collected = new Map();
        const collectWarnings = [];
        let firstOutputMs;
        try {
            if (!(await engine.imageExists(request.image))) {
                log.line(`── pulling ${request.image}`);
                await engine.pullImage(request.image, undefined, request.signal);
            }
            volume = await engine.createVolume(`ultra-create-sandbox-${token}`, labels);
            const mtime = Math.floor(started / 1000) - 1;
            let stopped = false;
            let testContainer;
            for (const [index, phase] of request.phases.entries()) {
                if (stopped) {
                    phases.push({ name: phase.name, exitCode: null, ended: 'not-run', durationMs: 0 });
                    continue;
                }
                const phaseStarted = Date.now();
                const id = await engine.createContainer(this.spec(request, phase, volume, `ultra-create-sandbox-${token}-${index}-${phase.name}`, labels));
                containers.push(id);
                if (index === 0) {
                    const skipped = [];
                    const layout = {
                        top: 'repo',
                        uid: SANDBOX_UID,
                        gid: SANDBOX_GID,
                        mtime,
                        extraDirectories: ['home'],
                        extraFiles: [{ name: START_MARKER.slice(SANDBOX_ROOT.length + 1), content: Buffer.alloc(0), mode: 0o444, uid: 0, gid: 0 }],
                        onSkip: (path, reason) => skipped.push(`${path} (${reason})`),
                    };
                    const tree = request.tree;
                    await engine.putArchive(id, SANDBOX_ROOT, tree.kind === 'tar' ? retar(tree.open(), layout) : treeTar({ ...layout, treeRoot: tree.root, ...(tree.files && { files: tree.files }) }));
                    if (skipped.length)
                        this.logger.info(`Sandbox: ${skipped.length} path(s) of the tree not copied: ${skipped.slice(0, 20).join(', ')}${skipped.length > 20 ? ', …' : ''}.`);
                }
                log.line(`── ${phase.name} (network ${phase.network}): ${phase.command}`);
                const outcome = await this.runContainer(id, deadline, request.signal, (line) => {
                    if (phase.name === 'test' && firstOutputMs === undefined)
                        firstOutputMs = Date.now() - phaseStarted;
                    log.line(line);
                });
                const durationMs = Date.now() - phaseStarted;
                log.line(`── ${phase.name}: ${describeEnd(outcome)} after ${(durationMs / 1000).toFixed(1)} s`);
                phases.push({ name: phase.name, exitCode: outcome.exitCode, ended: outcome.ended, durationMs });
                if (outcome.hostConfig) {
                    if (applied.length === 0)
                        applied.push(...describeApplied(outcome.hostConfig, this.description));
                    applied.push(`network: ${phase.name} ${outcome.hostConfig.networkMode || 'default'}`);
                }
                if (phase.name === 'test')
                    testContainer = id;
                if (outcome.ended !== 'exited' || outcome.exitCode !== 0)
                    stopped = true;
            }
            const wanted = request.collect ?? [];
            if (wanted.length && testContainer && !request.signal?.aborted) {
                const listing = await engine.createContainer(this.spec(request, { name: 'test', network: 'none', command: listingCommand() }, volume, `ultra-create-sandbox-${token}-collect`, labels, true));
                containers.push(listing);
                await this.collect(listing, wanted, request.collectLimits ?? DEFAULT_COLLECT_LIMITS, collected, collectWarnings);
            }
        }
        finally {
            // Whatever happened: the containers (forced), then the volume they used.
            for (const id of containers)
                await engine.removeContainer(id).catch((error) => this.logger.warning(`Sandbox: could not remove container ${id.slice(0, 12)}: ${getErrorMessage(error)} (the post step retries by label).`));
            if (volume)
                await engine.removeVolume(volume).catch((error) => this.logger.warning(`Sandbox: could not remove volume ${volume}: ${getErrorMessage(error)} (the post step retries by label).`));
            const failure = await log.close();
            if (failure)
                this.logger.warning(`Sandbox: the log file ${request.logFile} could not be written: ${failure.message}`);
        }
        return {
            phases,
            durationMs: Date.now() - started,
            firstOutputMs,
            logTail: log.tailText(),
            logFile: request.logFile,
            files: collected,
            collectWarnings,
            applied,
        };
    }
    spec(request, phase, volume, name, labels, raw = false) {
        const { limits } = request;
        const env = {
            // Caches under HOME (on the scratch volume), where a package manager would otherwise try the read-only root.
            npm_config_cache: `${SANDBOX_HOME}/.npm`,
            npm_config_update_notifier: 'false',
            YARN_CACHE_FOLDER: `${SANDBOX_HOME}/.cache/yarn`,
            PIP_CACHE_DIR: `${SANDBOX_HOME}/.cache/pip`,
            XDG_CACHE_HOME: `${SANDBOX_HOME}/.cache`,
            XDG_CONFIG_HOME: `${SANDBOX_HOME}/.config`,
            XDG_DATA_HOME: `${SANDBOX_HOME}/.local/share`,
            ...request.env,
            HOME: SANDBOX_HOME,
            CI: 'true',
            TMPDIR: '/tmp',
        };
        return {
            name,
            image: request.image,
            entrypoint: raw ? ['/bin/sh', '-c', phase.command] : ['/bin/sh', '-c', PHASE_WRAPPER, `sandbox-${phase.name}`, phase.command],
            cmd: [],
            env,
            labels,
            user: `${SANDBOX_UID}:${SANDBOX_GID}`,
            workingDir: SANDBOX_WORKDIR,
            volumes: [{ volume, containerPath: SANDBOX_ROOT, noCopy: true }],
            readOnlyRootfs: true,
            tmpfs: { '/tmp': { sizeBytes: Math.min(TMP_BYTES_MAX, limits.memoryBytes), mode: 0o1777, flags: ['nosuid', 'nodev'] } },
            capDrop: ['ALL'],
            securityOpt: ['no-new-privileges'],
            limits: { cpus: limits.cpus, memoryBytes: limits.memoryBytes, pids: limits.pids },
            noSwap: true,
            ulimits: { nofile: limits.openFiles, nproc: limits.processes },
            init: true,
            network: phase.network === 'none' ? 'none' : undefined,
            runtime: this.requestedRuntime,
        };
    }
    /** Starts the container, streams its log, and waits for its end: on its own, at the deadline, or on cancellation. */
    async runContainer(id, deadline, signal, onLine) {
        const engine = this.engine;
        if (Date.now() >= deadline)
            return { exitCode: null, ended: 'timed-out' };
        if (signal?.aborted)
            return { exitCode: null, ended: 'cancelled' };
        const logAbort = new AbortController();
        const waitAbort = new AbortController();
        await engine.startContainer(id);
        const logs = engine.containerLogs(id, { follow: true, signal: logAbort.signal, onLine: (_stream, line) => onLine(line) }).catch((error) => {
            onLine(`(the log stream broke off: ${getErrorMessage(error)})`);
        });
        let timer;
        let onAbort;
        const why = await Promise.race([
            engine.waitContainer(id, waitAbort.signal).then(() => 'exited'),
            new Promise((resolve) => {
                timer = setTimeout(() => resolve('timed-out'), Math.max(0, deadline - Date.now()));
            }),
            new Promise((resolve) => {
                onAbort = () => resolve('cancelled');
                // Starting takes a while: the signal may have fired meanwhile.
                if (signal?.aborted)
                    resolve('cancelled');
                else
                    signal?.addEventListener('abort', onAbort, { once: true });
            }),
        ]).finally(() => {
            clearTimeout(timer);
            if (onAbort)
                signal?.removeEventListener('abort', onAbort);
        });
        if (why !== 'exited') {
            waitAbort.abort();
            await engine.killContainer(id, 'SIGKILL');
            // The kill is synchronous on the engine's side; the wait makes sure the state below is the final one.
            await engine.waitContainer(id).catch(() => undefined);
        }
        let drainTimer;
        await Promise.race([logs, new Promise((resolve) => (drainTimer = setTimeout(resolve, LOG_DRAIN_MS)))]);
        clearTimeout(drainTimer);
        logAbort.abort();
        const state = await engine.inspectContainer(id);
        if (state.oomKilled)
            return { exitCode: state.exitCode, ended: 'out-of-memory', hostConfig: state.hostConfig };
        if (why !== 'exited')
            return { exitCode: null, ended: why, hostConfig: state.hostConfig };
        return { exitCode: state.exitCode, ended: 'exited', hostConfig: state.hostConfig };
    }
    /** Runs the listing step, then copies out each listed file that matches a glob, within the bounds. */
    async collect(listing, globs, limits, collected, warnings) {
        const engine = this.engine;
        const lines = [];
        const outcome = await this.runContainer(listing, Date.now() + COLLECT_BUDGET_MS, undefined, (line) => {
            if (lines.length < LISTING_MAX + 1)
                lines.push(line);
        });
        if (outcome.ended !== 'exited' || outcome.exitCode !== 0) {
            warnings.push(`the reports could not be listed (${describeEnd(outcome)}): ${lines.slice(-3).join(' / ') || 'no output'}`);
            return;
        }
        if (lines.length > LISTING_MAX)
            warnings.push(`more than ${LISTING_MAX} files were written during the run: only the first ${LISTING_MAX} were looked at`);
        const patterns = globs.map((glob) => gitattributesPatternToRegExp(glob));
        const matches = [
            ...new Set(lines
                .slice(0, LISTING_MAX)
                .map((line) => line.replace(/^\.\//, ''))
                .filter((path) => path && patterns.some((pattern) => pattern.test(path)))),
        ].sort();
        const kept = matches.slice(0, limits.files);
        const dropped = matches.slice(limits.files);
        if (dropped.length) {
            warnings.push(`${dropped.length} report(s) over the limit of ${limits.files} files not brought back: ${dropped.slice(0, 20).join(', ')}${dropped.length > 20 ? ', …' : ''}`);
        }
        const budgetEnd = Date.now() + COLLECT_BUDGET_MS;
        for (const path of kept) {
            if (Date.now() > budgetEnd) {
                warnings.push(`${path}: not brought back (the copy-out budget of ${COLLECT_BUDGET_MS / 1000} s ran out)`);
                continue;
            }
            try {
                // A tar of one file: its header, the contents padded to 512 bytes, two end blocks (and maybe a PAX header for a long name).
                const archive = await engine.getArchive(listing, `${SANDBOX_WORKDIR}/${path}`, { maxBytes: limits.bytesPerFile + 8 * 1024 + 2 * path.length });
                if (!archive) {
                    warnings.push(`${path}: gone before it could be brought back`);
                    continue;
                }
                const { entries, skipped } = readTar(archive, { maxEntries: 4, maxFileBytes: limits.bytesPerFile });
                const file = entries.find((entry) => entry.type === 'file');
                if (file)
                    collected.set(path, file.data);
                else
                    warnings.push(`${path}: not brought back (${skipped[0]?.reason ?? 'not a regular file'})`);
            }
            catch (error) {
                warnings.push(error instanceof ArchiveTooLargeError ? `${path}: over the limit of ${limits.bytesPerFile} bytes, not brought back` : `${path}: ${getErrorMessage(error)}`);
            }
        }
    }
}
/** Regular files under the repository written after the start marker, big dependency folders pruned; `./path` per line. */
function listingCommand() {
    const prune = PRUNED.map((name) => `-name '${name}'`).join(' -o ');
    return `cd ${SANDBOX_WORKDIR} && find . \\( ${prune} \\) -prune -o -type f -newer ${START_MARKER} -print | head -n ${LISTING_MAX + 1}`;
}
function describeEnd(outcome) {
    switch (outcome.ended) {
        case 'exited':
            return `exit code ${outcome.exitCode}`;
        case 'out-of-memory':
            return `out of memory (killed by the memory limit; exit code ${outcome.exitCode})`;
        default:
            return outcome.ended;
    }
}
/** The settings the engine holds for a phase's container, one line each (what the check run and the summary list). */
function describeApplied(h, description) {
    const ulimits = h.ulimits.map((u) => `${u.name}=${u.soft === u.hard ? u.soft : `${u.soft}/${u.hard}`}`).join(', ');
    return [
        `user ${h.user || 'image default'}`,
        `runtime ${h.runtime || description}`,
        `memory ${h.memoryBytes ? formatBinaryBytes(h.memoryBytes) : 'unlimited'}${h.memoryBytes && h.memorySwapBytes === h.memoryBytes ? ', no swap' : ''}`,
        `cpus ${h.nanoCpus ? h.nanoCpus / 1e9 : 'unlimited'}`,
        `pids ${h.pidsLimit || 'unlimited'}`,
        `ulimits ${ulimits || 'image defaults'}`,
        `root file system ${h.readOnlyRootfs ? 'read-only' : 'WRITABLE'}; tmpfs ${Object.keys(h.tmpfs).join(', ') || 'none'}`,
        `capabilities dropped: ${h.capDrop.join(', ') || 'none'}; ${h.securityOpt.includes('no-new-privileges') ? 'no-new-privileges' : 'new privileges allowed'}`,
        `init as PID 1: ${h.init ? 'yes' : 'no'}`,
        'mounts: the scratch volume only (no bind mount, no docker socket)',
    ];
}

export { RunLog, createDockerSandbox };
