import { Transform, type Readable } from 'node:stream';
import { getErrorMessage } from '../errors.js';
import type { HeadCheckout, Service } from '../types.js';
import { gitText, readObjects, readObjectSizes, spawnGit } from './git.js';
import { formatCount } from '../text/strings.js';

const MAX_READ_BYTES = 2 * 1024 * 1024;

/**
 * The whole repository at the head commit, from git's objects — never the working files, which a pull request can make symlinks to
 * `/dev/zero` or FIFOs, and which earlier workflow steps may have changed.
 *
 * The head commit's tree in the clone at `dir`; when that commit is not in the clone (actions/checkout fetches only the merge commit
 * of a pull request by default), the checkout's HEAD, which is what the workflow's other jobs test too.
 */
export async function resolveHeadCheckout(dir: string, headSha: string): Promise<Service<HeadCheckout>> {
  const has = async (revision: string): Promise<string | undefined> => {
    try {
      return (await gitText(dir, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const head = await has(headSha);
  if (head) return { status: 'ready', value: gitCheckout(dir, head) };
  const local = await has('HEAD');
  if (local) {
    return {
      status: 'ready',
      value: gitCheckout(
        dir,
        local,
        `the head commit ${headSha.slice(0, 7)} is not in the clone: the tests run on the checkout's HEAD ${local.slice(0, 7)}`,
      ),
    };
  }
  return { status: 'skipped', reason: `${dir} is not a git clone holding the head commit ${headSha.slice(0, 7)} (run actions/checkout first)` };
}

function gitCheckout(dir: string, revision: string, note?: string): HeadCheckout {
  let listing: Promise<{ path: string; sha: string }[]> | undefined;
  let byPath: Promise<Map<string, { path: string; sha: string }>> | undefined;
  const entries = () =>
    (listing ??= gitText(dir, ['ls-tree', '-r', '-z', '--full-tree', revision]).then((out) =>
      out
        .split('\0')
        .filter((line) => line.length > 0)
        .flatMap((line) => {
          // "<mode> <type> <sha>\t<path>"; submodules are commits, not blobs.
          const tab = line.indexOf('\t');
          const [, type, sha] = line.slice(0, tab).split(' ');
          return type === 'blob' && sha ? [{ path: line.slice(tab + 1), sha }] : [];
        }),
    ));
  return {
    revision,
    ...(note !== undefined && { note }),
    async listFiles() {
      return (await entries()).map((e) => e.path);
    },
    async readFile(path, maxBytes = MAX_READ_BYTES) {
      byPath ??= entries().then((list) => new Map(list.map((e) => [e.path, e])));
      const entry = (await byPath).get(path);
      if (!entry) return undefined;
      const size = (await readObjectSizes(dir, [entry.sha])).get(entry.sha);
      if (size === undefined || size > maxBytes) return undefined;
      return (await readObjects(dir, [entry.sha])).get(entry.sha);
    },
    async readFiles(paths, maxBytes = MAX_READ_BYTES) {
      byPath ??= entries().then((list) => new Map(list.map((e) => [e.path, e])));
      const known = await byPath;
      const shas = [...new Set(paths.flatMap((path) => known.get(path)?.sha ?? []))];
      const sizes = shas.length > 0 ? await readObjectSizes(dir, shas) : new Map<string, number>();
      const small = shas.filter((sha) => (sizes.get(sha) ?? Infinity) <= maxBytes);
      const objects = small.length > 0 ? await readObjects(dir, small) : new Map<string, Buffer>();
      return new Map(paths.map((path) => [path, objects.get(known.get(path)?.sha ?? '')]));
    },
    archive(maxBytes) {
      return gitArchive(dir, revision, maxBytes);
    },
  };
}

/** `git archive` of a commit as a stream; nothing of the repository's configuration runs (no hooks, no pager, plain tar). */
function gitArchive(dir: string, revision: string, maxBytes: number): Readable {
  const child = spawnGit(dir, ['archive', '--format=tar', revision]);
  child.stdin.end();
  let seen = 0;
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        child.kill('SIGKILL');
        callback(new Error(`the head tree is larger than ${formatCount(maxBytes)} bytes: it is not copied into the sandbox`));
        return;
      }
      callback(null, chunk);
    },
  });
  child.on('error', (error) => limited.destroy(new Error(`git archive could not start: ${getErrorMessage(error)}`)));
  child.stdout.pipe(limited, { end: false });
  child.on('close', (code) => {
    if (code === 0) limited.end();
    else if (!limited.destroyed) limited.destroy(new Error(`git archive ${revision.slice(0, 7)} failed (exit ${code}): ${Buffer.concat(stderr).toString('utf8').trim()}`));
  });
  limited.on('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return limited;
}
