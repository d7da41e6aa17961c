/**
 * Test images built without a registry: `docker import` of a root file system made on the fly from this machine's own files — the
 * `node` binary behind `which node`, the libraries `ldd` lists for it, a static busybox (sh, ls, cat, env, sleep, wget, …), /tmp,
 * /etc/passwd with `root` and `node` (uid 1000) — plus whatever a test adds (a bundled server, a binary with its libraries).
 *
 * Content-addressed: the tag is a hash of every input (paths, modes, owners, file contents, image settings), an image with that tag
 * is reused, so repeated runs do not rebuild; older tags of the same repository are removed after a new build. The tar stream is
 * written here (no staging copy) straight into `docker import`.
 *
 * `buildStandInGatewayImage()` builds the stand-in for the `docker/mcp-gateway` image (see fixtures/stand-in-gateway/README.md),
 * `buildStandInModelRunnerImage()` the one for `docker/model-runner` (see fixtures/stand-in-model-runner/README.md).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, mkdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, posix, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { docker, dockerCli, TEST_LABEL } from './docker.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STAND_IN_DIR = join(REPO_ROOT, '__tests__', 'fixtures', 'stand-in-gateway');
export const NODE_IMAGE_REPOSITORY = 'ultra-create-test/node';
export const STAND_IN_GATEWAY_REPOSITORY = 'ultra-create-test/stand-in-mcp-gateway';
/** Label with the full input hash, on every image built here (with `dev.ultra-create.test=1`). */
export const INPUTS_LABEL = 'dev.ultra-create.test.inputs';
/** Where the stand-in finds its default catalog, as the real gateway does under /root/.docker/mcp/catalogs/. */
export const GATEWAY_CATALOG_DIR = '/root/.docker/mcp/catalogs';
export const STAND_IN_ENTRYPOINT = ['/usr/local/bin/node', '/gateway.mjs'] as const;
export const STAND_IN_MODEL_RUNNER_DIR = join(REPO_ROOT, '__tests__', 'fixtures', 'stand-in-model-runner');
export const STAND_IN_MODEL_RUNNER_REPOSITORY = 'ultra-create-test/stand-in-model-runner';
/** The image's own user, as in the real one (a system user); the action runs the container as its own uid instead. */
export const MODEL_RUNNER_IMAGE_UID = 999;
/** Bump when the layout built here changes in a way the inputs do not show. */
const LAYOUT_VERSION = '1';
const BUSYBOX_APPLETS = ['sh', 'ls', 'cat', 'env', 'sleep', 'wget', 'echo', 'mkdir', 'rm', 'grep', 'id', 'ps', 'kill', 'true', 'false'];
const IMPORT_TIMEOUT_MS = 120_000;

interface Owner {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** One entry of the root file system. Paths are absolute inside the image. */
export type ImageEntry =
  /** A host file (symlinks followed); `withLibraries` adds the shared libraries `ldd` lists for it, at their host paths. */
  | (Owner & { path: string; source: string; withLibraries?: boolean })
  | (Owner & { path: string; content: string | Uint8Array })
  | (Owner & { path: string; directory: true })
  | { path: string; symlink: string };

export interface BuildImageOptions {
  /** `docker import --change` instructions (ENTRYPOINT, ENV, USER, WORKDIR, …). `ENV PATH=…` and our labels are always added. */
  changes?: readonly string[];
  labels?: Record<string, string>;
}

export interface BuiltImage {
  /** `repository:tag`, what `docker run` takes. */
  ref: string;
  repository: string;
  /** The first 16 hex digits of `hash`. */
  tag: string;
  hash: string;
  /** An image with this tag already existed: nothing was built. */
  reused: boolean;
  durationMs: number;
  /** Bytes of file content in the image (built images only; 0 when reused). */
  contentBytes: number;
}

// ── host files ───────────────────────────────────────────────────────────────────────────────────────────────────────────────

function run(command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        // An Error at run time; @types/node's ExecFileException (an Omit<> of one) does not say so.
        const failure: Error = error;
        reject(failure);
      } else {
        resolvePromise({ code: error ? Number(error.code) : 0, stdout, stderr });
      }
    });
  });
}

/** The real file behind a command on PATH (`which` + symlinks resolved). */
export async function whichReal(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      if ((await stat(candidate)).isFile()) return await realpath(candidate);
    } catch {
      // not there
    }
  }
  return undefined;
}

/** The shared libraries `ldd` lists for a binary (absolute paths, the dynamic loader included); [] for a static one. */
export async function lddLibraries(binary: string): Promise<string[]> {
  const result = await run('ldd', [binary]).catch((error: unknown) => {
    throw new Error(`ldd is needed to build test images (Debian: libc-bin): ${(error as Error).message}`);
  });
  const text = `${result.stdout}\n${result.stderr}`;
  if (/not a dynamic executable|statically linked/.test(text)) return [];
  if (result.code !== 0) throw new Error(`ldd ${binary} exited ${result.code}: ${text.trim()}`);
  const libraries = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    const arrow = /=>\s*(\/\S+)/.exec(line);
    if (arrow) libraries.add(arrow[1]!);
    else if (/^\s*(\/\S+)\s+\(0x/.test(line)) libraries.add(/^\s*(\/\S+)/.exec(line)![1]!);
    else if (/=>\s*not found/.test(line)) throw new Error(`ldd ${binary}: ${line.trim()}`);
  }
  return [...libraries];
}

/** The busybox binary to put in images (busybox-static preferred: it needs no libraries). */
export async function findBusybox(): Promise<string> {
  for (const candidate of ['/bin/busybox', '/usr/bin/busybox']) {
    if (existsSync(candidate)) return realpath(candidate);
  }
  const onPath = await whichReal('busybox');
  if (onPath) return onPath;
  throw new Error('busybox is not installed: the test images need it (Debian: apt-get install busybox-static; .ci/docker-setup.sh does).');
}

/** The `node` binary: the real file behind `which node` (else the one running the tests). */
export async function findNode(): Promise<string> {
  return (await whichReal('node')) ?? (await realpath(process.execPath));
}

/** A host binary at `path` in the image, with the libraries it needs at their host paths. */
export function binaryEntry(path: string, source: string): ImageEntry {
  return { path, source, mode: 0o755, withLibraries: true };
}

/** The base of every test image: node, its libraries, busybox with its applets, /tmp, root and node users. */
export async function nodeImageEntries(): Promise<ImageEntry[]> {
  const [node, busybox] = await Promise.all([findNode(), findBusybox()]);
  const entries: ImageEntry[] = [
    { path: '/bin', directory: true },
    { path: '/usr/bin', directory: true },
    { path: '/usr/local/bin', directory: true },
    { path: '/etc', directory: true },
    { path: '/tmp', directory: true, mode: 0o1777 },
    { path: '/var/tmp', directory: true, mode: 0o1777 },
    { path: '/root', directory: true, mode: 0o700 },
    { path: '/home/node', directory: true, mode: 0o755, uid: 1000, gid: 1000 },
    binaryEntry('/usr/local/bin/node', node),
    { path: '/usr/bin/node', symlink: '/usr/local/bin/node' },
    binaryEntry('/bin/busybox', busybox),
    ...BUSYBOX_APPLETS.map((applet): ImageEntry => ({ path: `/bin/${applet}`, symlink: 'busybox' })),
    { path: '/usr/bin/env', symlink: '/bin/busybox' },
    {
      path: '/etc/passwd',
      content: 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    },
    { path: '/etc/group', content: 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' },
  ];
  return entries;
}

// ── the root file system as a tar stream ─────────────────────────────────────────────────────────────────────────────────────

type ResolvedEntry =
  | { kind: 'file'; path: string; mode: number; uid: number; gid: number; size: number; source?: string; data?: Buffer; sha256: string }
  | { kind: 'dir'; path: string; mode: number; uid: number; gid: number }
  | { kind: 'symlink'; path: string; target: string };

const fileHashes = new Map<string, Promise<{ sha256: string; size: number }>>();

function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  let pending = fileHashes.get(path);
  if (!pending) {
    pending = (async () => {
      const { size } = await stat(path);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      return { sha256: hash.digest('hex'), size };
    })();
    fileHashes.set(path, pending);
  }
  return pending;
}

function normalize(path: string): string {
  const normal = posix.normalize(path);
  if (!normal.startsWith('/') || normal === '/') throw new Error(`image paths must be absolute files or folders, not '${path}'`);
  return normal.replace(/\/+$/, '');
}

/** Expands library lists, fills in parent folders, hashes contents. Later entries replace earlier ones at the same path. */
async function resolveEntries(entries: readonly ImageEntry[]): Promise<ResolvedEntry[]> {
  const byPath = new Map<string, ResolvedEntry>();
  const add = (entry: ResolvedEntry) => byPath.set(entry.path, entry);
  const pending: Promise<void>[] = [];
  const addHostFile = (path: string, source: string, owner: Owner, defaultMode: number) => {
    const placeholder: ResolvedEntry = { kind: 'file', path, mode: 0, uid: 0, gid: 0, size: 0, source, sha256: '' };
    add(placeholder);
    pending.push(
      (async () => {
        const real = await realpath(source).catch(() => {
          throw new Error(`test image file ${path}: ${source} does not exist`);
        });
        const [{ sha256, size }, info] = await Promise.all([hashFile(real), stat(real)]);
        Object.assign(placeholder, {
          source: real,
          sha256,
          size,
          mode: owner.mode ?? (info.mode & 0o111 ? defaultMode | 0o111 : defaultMode) & 0o7777,
          uid: owner.uid ?? 0,
          gid: owner.gid ?? 0,
        });
      })(),
    );
  };

  for (const entry of entries) {
    const path = normalize(entry.path);
    if ('symlink' in entry) add({ kind: 'symlink', path, target: entry.symlink });
    else if ('directory' in entry) add({ kind: 'dir', path, mode: entry.mode ?? 0o755, uid: entry.uid ?? 0, gid: entry.gid ?? 0 });
    else if ('content' in entry) {
      const data = Buffer.from(entry.content);
      const sha256 = createHash('sha256').update(data).digest('hex');
      add({ kind: 'file', path, mode: entry.mode ?? 0o644, uid: entry.uid ?? 0, gid: entry.gid ?? 0, size: data.length, data, sha256 });
    } else {
      addHostFile(path, entry.source, entry, 0o644);
      if (entry.withLibraries) {
        pending.push(
          (async () => {
            for (const library of await lddLibraries(await realpath(entry.source))) {
              if (!byPath.has(normalize(library))) addHostFile(normalize(library), library, { mode: 0o755 }, 0o755);
            }
          })(),
        );
      }
    }
  }
  // Library lists add work while other files hash: wait until no new work appears.
  for (let count = -1; count !== pending.length; ) {
    count = pending.length;
    await Promise.all(pending);
  }

  for (const path of [...byPath.keys()]) {
    for (let parent = posix.dirname(path); parent !== '/'; parent = posix.dirname(parent)) {
      if (!byPath.has(parent)) add({ kind: 'dir', path: parent, mode: 0o755, uid: 0, gid: 0 });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function tarHeader(fields: { name: string; mode: number; uid: number; gid: number; size: number; type: '0' | '2' | '5'; linkname?: string }): Buffer {
  const header = Buffer.alloc(512, 0);
  let name = fields.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 154);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for a tar header: ${fields.name}`);
  }
  if (fields.linkname && Buffer.byteLength(fields.linkname) > 100) throw new Error(`symlink target too long: ${fields.linkname}`);
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0') + '\0';
  header.write(name, 0, 100, 'utf8');
  header.write(octal(fields.mode, 8), 100, 8, 'ascii');
  header.write(octal(fields.uid, 8), 108, 8, 'ascii');
  header.write(octal(fields.gid, 8), 116, 8, 'ascii');
  header.write(octal(fields.size, 12), 124, 12, 'ascii');
  header.write(octal(0, 12), 136, 12, 'ascii'); // mtime: fixed, so equal inputs give equal layers
  header.write('        ', 148, 8, 'ascii');
  header.write(fields.type, 156, 1, 'ascii');
  header.write(fields.linkname ?? '', 157, 100, 'utf8');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write(fields.uid === 0 ? 'root' : '', 265, 32, 'ascii');
  header.write(fields.gid === 0 ? 'root' : '', 297, 32, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

async function* tarStream(entries: readonly ResolvedEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    const name = entry.path.slice(1);
    if (entry.kind === 'dir') {
      yield tarHeader({ name: `${name}/`, mode: entry.mode, uid: entry.uid, gid: entry.gid, size: 0, type: '5' });
    } else if (entry.kind === 'symlink') {
      yield tarHeader({ name, mode: 0o777, uid: 0, gid: 0, size: 0, type: '2', linkname: entry.target });
    } else {
      yield tarHeader({ name, mode: entry.mode, uid: entry.uid, gid: entry.gid, size: entry.size, type: '0' });
      let written = 0;
      if (entry.data) {
        yield entry.data;
        written = entry.data.length;
      } else {
        for await (const chunk of createReadStream(entry.source!)) {
          const buffer = chunk as Buffer;
          written += buffer.length;
          yield buffer;
        }
      }
      if (written !== entry.size) throw new Error(`${entry.source ?? entry.path} changed while the image was built (${written} of ${entry.size} bytes)`);
      if (written % 512) yield Buffer.alloc(512 - (written % 512), 0);
    }
  }
  yield Buffer.alloc(1024, 0);
}

// ── build ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

function inputsHash(entries: readonly ResolvedEntry[], changes: readonly string[]): string {
  const hash = createHash('sha256').update(`ultra-create test image v${LAYOUT_VERSION}\n`);
  for (const entry of entries) {
    if (entry.kind === 'symlink') hash.update(`L ${entry.path} -> ${entry.target}\n`);
    else if (entry.kind === 'dir') hash.update(`D ${entry.path} ${entry.mode.toString(8)} ${entry.uid}:${entry.gid}\n`);
    else hash.update(`F ${entry.path} ${entry.mode.toString(8)} ${entry.uid}:${entry.gid} ${entry.size} ${entry.sha256}\n`);
  }
  for (const change of changes) hash.update(`C ${change}\n`);
  return hash.digest('hex');
}

async function imageExists(ref: string): Promise<boolean> {
  return (await dockerCli(['image', 'inspect', '--format', '{{.Id}}', ref])).code === 0;
}

/** One builder per image hash across processes (test files run in parallel): a lock folder in the temp dir. */
async function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `ultra-create-test-image-${key}.lock`);
  const deadline = Date.now() + IMPORT_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await lstat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > IMPORT_TIMEOUT_MS) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: error });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function dockerImport(entries: readonly ResolvedEntry[], changes: readonly string[], ref: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const args = ['import', ...changes.flatMap((change) => ['--change', change]), '-', ref];
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), IMPORT_TIMEOUT_MS);
    let streamError: Error | undefined;
    const source = Readable.from(tarStream(entries));
    source.on('error', (error) => {
      streamError = error;
      child.stdin.destroy();
      child.kill('SIGKILL');
    });
    child.stdin.on('error', () => undefined); // reported through the exit code
    source.pipe(child.stdin);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (streamError) reject(streamError);
      else if (code === 0) resolvePromise();
      else reject(new Error(`docker import ${ref} failed (${signal ?? `exit ${code}`}): ${output.trim()}`));
    });
  });
}

/** Removes earlier builds of `repository` (our label, another tag); an image still used by a container stays. */
async function pruneOlderTags(repository: string, keepTag: string): Promise<void> {
  const listing = await dockerCli(['images', '--filter', `label=${TEST_LABEL}=1`, '--format', '{{.Repository}}:{{.Tag}}', repository]);
  const stale = listing.stdout.split('\n').map((l) => l.trim()).filter((ref) => ref && ref !== `${repository}:${keepTag}` && !ref.endsWith(':<none>'));
  if (stale.length) await dockerCli(['rmi', ...stale]);
}

/**
 * Builds (or reuses) an image of the node root file system plus `extraFiles`, tagged `<repository>:<hash of the inputs>`, labelled
 * `dev.ultra-create.test=1`. Later entries replace earlier ones at the same path.
 */
export async function buildNodeImage(repository: string, extraFiles: readonly ImageEntry[] = [], options: BuildImageOptions = {}): Promise<BuiltImage> {
  const started = Date.now();
  const entries = await resolveEntries([...(await nodeImageEntries()), ...extraFiles]);
  const userChanges = [...(options.changes ?? [])];
  const baseChanges = ['ENV PATH=/usr/local/bin:/usr/bin:/bin', ...userChanges];
  const hash = inputsHash(entries, [...baseChanges, ...Object.entries(options.labels ?? {}).map(([k, v]) => `LABEL ${k}=${v}`)]);
  const tag = hash.slice(0, 16);
  const ref = `${repository}:${tag}`;
  const labels = { ...options.labels, [TEST_LABEL]: '1', [INPUTS_LABEL]: hash };
  const changes = [...baseChanges, ...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`)];

  if (await imageExists(ref)) return { ref, repository, tag, hash, reused: true, durationMs: Date.now() - started, contentBytes: 0 };
  return withLock(tag, async () => {
    if (await imageExists(ref)) return { ref, repository, tag, hash, reused: true, durationMs: Date.now() - started, contentBytes: 0 };
    await dockerImport(entries, changes, ref);
    await pruneOlderTags(repository, tag).catch(() => undefined);
    const contentBytes = entries.reduce((sum, entry) => sum + (entry.kind === 'file' ? entry.size : 0), 0);
    return { ref, repository, tag, hash, reused: false, durationMs: Date.now() - started, contentBytes };
  });
}

// ── the stand-in gateway ─────────────────────────────────────────────────────────────────────────────────────────────────────

const bundles = new Map<string, Promise<{ code: Uint8Array; ms: number }>>();

/**
 * The stand-in gateway bundled into one ES module with its dependencies (the official MCP SDK, zod, yaml), by esbuild (tsx's own
 * dependency). Deterministic output, so the image's content hash — and with it the image — is reused while the sources are equal.
 */
export function bundleStandInGateway(): Promise<{ code: Uint8Array; ms: number }> {
  return bundleEntry(join(STAND_IN_DIR, 'gateway.ts'));
}

/** One TypeScript entry and everything it imports as one ES module (memoized per entry). */
export function bundleEntry(entry: string): Promise<{ code: Uint8Array; ms: number }> {
  let bundled = bundles.get(entry);
  bundled ??= (async () => {
    const started = Date.now();
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      minify: false,
      legalComments: 'none',
      logLevel: 'silent',
      absWorkingDir: REPO_ROOT,
      // CommonJS dependencies bundled into ESM still call require() for node's built-ins.
      banner: { js: "import { createRequire as __standInCreateRequire } from 'node:module';\nconst require = __standInCreateRequire(import.meta.url);" },
    });
    const output = result.outputFiles[0];
    if (!output) throw new Error(`esbuild produced no output for ${entry}`);
    return { code: output.contents, ms: Date.now() - started };
  })();
  bundles.set(entry, bundled);
  return bundled;
}

/** The ast-grep CLI binary shipped by @ast-grep/cli (the platform binary its postinstall put in place). */
export function astGrepBinary(): string {
  return join(REPO_ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');
}

/**
 * The stand-in for `docker/mcp-gateway`: node + the bundled gateway (`/gateway.mjs`, the ENTRYPOINT, like the real image's), the
 * ast-grep binary with its libraries at /usr/local/bin/ast-grep, and the default catalog at /root/.docker/mcp/catalogs/docker-mcp.yaml.
 */
export async function buildStandInGatewayImage(): Promise<BuiltImage & { bundleMs: number }> {
  const [{ code, ms }, catalog] = await Promise.all([bundleStandInGateway(), readFile(join(STAND_IN_DIR, 'docker-mcp.yaml'))]);
  const image = await buildNodeImage(
    STAND_IN_GATEWAY_REPOSITORY,
    [
      { path: '/gateway.mjs', content: code, mode: 0o644 },
      binaryEntry('/usr/local/bin/ast-grep', astGrepBinary()),
      { path: `${GATEWAY_CATALOG_DIR}/docker-mcp.yaml`, content: catalog },
    ],
    {
      changes: [`ENTRYPOINT ${JSON.stringify(STAND_IN_ENTRYPOINT)}`, 'ENV DOCKER_MCP_IN_CONTAINER=1', 'WORKDIR /'],
      labels: { 'org.opencontainers.image.title': 'stand-in for docker/mcp-gateway (ultra-create tests)' },
    },
  );
  return { ...image, bundleMs: ms };
}

/**
 * The stand-in for `docker/model-runner`: node + the bundled runner (`/runner.mjs`, the ENTRYPOINT), the image's environment
 * (`MODEL_RUNNER_PORT=12434`, `MODELS_PATH=/models`) and its non-root `modelrunner` user owning /models, as in the real image.
 */
export async function buildStandInModelRunnerImage(): Promise<BuiltImage & { bundleMs: number }> {
  const { code, ms } = await bundleEntry(join(STAND_IN_MODEL_RUNNER_DIR, 'runner.ts'));
  const uid = MODEL_RUNNER_IMAGE_UID;
  const image = await buildNodeImage(
    STAND_IN_MODEL_RUNNER_REPOSITORY,
    [
      { path: '/runner.mjs', content: code, mode: 0o644 },
      {
        path: '/etc/passwd',
        content: `root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nmodelrunner:x:${uid}:${uid}::/home/modelrunner:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n`,
      },
      { path: '/etc/group', content: `root:x:0:\nnode:x:1000:\nmodelrunner:x:${uid}:\nnogroup:x:65534:\n` },
      { path: '/home/modelrunner', directory: true, mode: 0o755, uid, gid: uid },
      { path: '/models', directory: true, mode: 0o755, uid, gid: uid },
    ],
    {
      changes: [
        'ENTRYPOINT ["/usr/local/bin/node","/runner.mjs"]',
        'ENV MODEL_RUNNER_PORT=12434',
        'ENV MODELS_PATH=/models',
        'ENV HOME=/home/modelrunner',
        'USER modelrunner',
        'WORKDIR /',
      ],
      labels: { 'org.opencontainers.image.title': 'stand-in for docker/model-runner (ultra-create tests)' },
    },
  );
  return { ...image, bundleMs: ms };
}

/** Removes every image built here (our label): for a developer who wants the disk back. Fails for images still in use. */
export async function removeTestImages(): Promise<string[]> {
  const refs = (await docker(['images', '--filter', `label=${TEST_LABEL}=1`, '--format', '{{.ID}}'])).split('\n').filter(Boolean);
  if (refs.length) await dockerCli(['rmi', '-f', ...new Set(refs)]);
  return refs;
}

// ── the sandbox's test image ─────────────────────────────────────────────────────────────────────────────────────────────────

export const SANDBOX_IMAGE_REPOSITORY = 'ultra-create-test/sandbox-node';
/** Applets the sandbox needs beyond the base: `find` (the report listing step), and what the tests' commands use. */
const SANDBOX_APPLETS = ['find', 'sed', 'cut', 'head', 'tail', 'touch', 'stat', 'ln', 'wc', 'dd', 'readlink', 'sort', 'tr'];

/** The node image plus the busybox applets the sandbox and its tests use (`/tmp` 1777 as in the base, as real images ship it). */
export function buildSandboxImage(): Promise<BuiltImage> {
  return buildNodeImage(
    SANDBOX_IMAGE_REPOSITORY,
    SANDBOX_APPLETS.map((applet): ImageEntry => ({ path: `/bin/${applet}`, symlink: 'busybox' })),
    { labels: { 'org.opencontainers.image.title': 'node + busybox for the sandbox tests (ultra-create tests)' } },
  );
}

// ── the sandbox image with npm ───────────────────────────────────────────────────────────────────────────────────────────────

export const SANDBOX_NPM_IMAGE_REPOSITORY = 'ultra-create-test/sandbox-node-npm';

/** Every file and symlink of a host folder, at `inside` in the image (regular files keep their executable bit). */
async function folderEntries(host: string, inside: string): Promise<ImageEntry[]> {
  const { readdir, readlink } = await import('node:fs/promises');
  const out: ImageEntry[] = [{ path: inside, directory: true }];
  for (const item of await readdir(host, { withFileTypes: true })) {
    const from = join(host, item.name);
    const to = posix.join(inside, item.name);
    if (item.isSymbolicLink()) out.push({ path: to, symlink: await readlink(from) });
    else if (item.isDirectory()) out.push(...(await folderEntries(from, to)));
    else if (item.isFile()) out.push({ path: to, source: from });
  }
  return out;
}

/** The sandbox image plus the host's npm (`/usr/local/lib/node_modules/npm`, `npm` on the PATH): for the MCP fetch phase. */
export async function buildSandboxNpmImage(): Promise<BuiltImage> {
  const npmCli = await whichReal('npm');
  if (!npmCli) throw new Error('no npm on the PATH to put in the test image');
  const npmRoot = dirname(dirname(npmCli));
  return buildNodeImage(
    SANDBOX_NPM_IMAGE_REPOSITORY,
    [
      ...SANDBOX_APPLETS.map((applet): ImageEntry => ({ path: `/bin/${applet}`, symlink: 'busybox' })),
      ...(await folderEntries(npmRoot, '/usr/local/lib/node_modules/npm')),
      { path: '/usr/local/bin/npm', symlink: '../lib/node_modules/npm/bin/npm-cli.js' },
    ],
    { labels: { 'org.opencontainers.image.title': 'node + npm + busybox for the MCP fetch tests (ultra-create tests)' } },
  );
}
