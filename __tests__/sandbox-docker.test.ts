// The Docker sandbox (src/runtime/docker-sandbox.ts) against a REAL engine: each test fails when the property it names does not hold.
// The image is node + busybox built with `docker import` (support/images.ts). Without an engine the suite is skipped with the
// reason; with ULTRA_CREATE_REQUIRE_DOCKER=1 it fails instead. Every run has its own run id; only what carries it is removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveHeadCheckout } from '../src/collect/checkout.js';
import { ConfigurationError } from '../src/errors.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId, RUN_LABEL } from '../src/runtime/docker-engine.js';
import { createDockerSandbox } from '../src/runtime/docker-sandbox.js';
import type { SandboxLimits, SandboxResult, SandboxRun } from '../src/runtime/sandbox.js';
import { describeDocker, docker, dockerCli, SESSION_LABEL, TEST_SESSION } from './support/docker.js';
import { buildSandboxImage, REPO_ROOT } from './support/images.js';
import { git } from './support/git-fixture.js';
import { RecordingLogger } from './support/recording-logger.js';

const LIMITS: SandboxLimits = { timeoutMs: 60_000, memoryBytes: 256 * 1024 * 1024, cpus: 1, pids: 128, openFiles: 512, processes: 4096 };
const SECRETS = { GITHUB_TOKEN: 'ghs_sandboxtestvalue0001', ANTHROPIC_API_KEY: 'sk-ant-sandboxtestvalue0002', FOO_TOKEN: 'footokenvalue0003' };
/** What the sandbox adds, what the image sets (PATH) and what the shell and the engine set (HOSTNAME, PWD, SHLVL). */
const ALLOWED_NAMES = [
  'HOME',
  'CI',
  'TMPDIR',
  'npm_config_cache',
  'npm_config_update_notifier',
  'YARN_CACHE_FOLDER',
  'PIP_CACHE_DIR',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'PATH',
  'HOSTNAME',
  'PWD',
  'SHLVL',
];

async function hashTree(root: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const relative = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        hashes.set(`${relative}/`, 'dir');
        await visit(path, `${relative}/`);
      } else if (entry.isSymbolicLink()) {
        hashes.set(relative, `-> ${await readlink(path)}`);
      } else {
        const info = await lstat(path);
        hashes.set(relative, `${info.mode.toString(8)} ${createHash('sha256').update(await readFile(path)).digest('hex')}`);
      }
    }
  };
  await visit(root, '');
  return hashes;
}

/** `key=value` lines the commands print, from the log file. */
function markers(log: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of log.split('\n')) {
    const match = /^@(\w+)=(.*)$/.exec(line);
    if (match) found.set(match[1]!, match[2]!);
  }
  return found;
}

async function labelled(runId: string): Promise<{ containers: string[]; volumes: string[] }> {
  const list = async (args: string[]) => (await docker([...args, '--filter', `label=${RUN_LABEL}=${runId}`])).split('\n').filter(Boolean);
  return { containers: await list(['ps', '-aq']), volumes: await list(['volume', 'ls', '-q']) };
}

describeDocker('Docker sandbox on a real engine', () => {
  let image = '';
  let scratch = '';
  let tree = '';
  const runIds: string[] = [];
  const logger = new RecordingLogger();

  before(
    async () => {
      image = (await buildSandboxImage()).ref;
      scratch = await mkdtemp(join(tmpdir(), 'sandbox-docker-'));
      tree = join(scratch, 'tree');
      const files: Record<string, string> = {
        'package.json': '{"name":"fixture","type":"module"}\n',
        'src/sum.js': 'export const sum = (a, b) => a + b;\n',
        'test/sum.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { sum } from '../src/sum.js';\ntest('sum', () => assert.equal(sum(1, 2), 3));\n",
        'reports/old.xml': '<testsuites name="written before the run"/>\n',
        [`deep/${'d'.repeat(90)}/${'e'.repeat(90)}/long-name.txt`]: 'a path longer than the ustar name field\n',
      };
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(tree, path)), { recursive: true });
        await writeFile(join(tree, path), content);
      }
      await symlink('/etc/passwd', join(tree, 'reports', 'passwd.xml'));
      await symlink('/etc', join(tree, 'etc-link'));
    },
    { timeout: 300_000 },
  );

  after(async () => {
    const engine = createDockerEngine();
    for (const runId of runIds) await cleanupRun(engine, runId, new RecordingLogger(), { timeoutMs: 20_000 });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** One run on a fresh run id; afterwards nothing with that id may be left. */
  async function run(request: Partial<SandboxRun> & Pick<SandboxRun, 'phases'>, options: { runtime?: string } = {}): Promise<{ result: SandboxResult; log: string; runId: string }> {
    const runId = newRunId();
    runIds.push(runId);
    const sandbox = await createDockerSandbox(createDockerEngine({ runId }), { logger, runtime: options.runtime });
    const logFile = join(scratch, `${runId}.log`);
    const result = await sandbox.run({ image, tree: { kind: 'folder', root: tree }, env: {}, limits: LIMITS, logFile, redact: (text) => text, ...request });
    assert.deepEqual(await labelled(runId), { containers: [], volumes: [] }, 'nothing with the run label is left after the run');
    return { result, log: await readFile(logFile, 'utf8'), runId };
  }

  test('the process is locked down: uid 1000, no capabilities, no-new-privileges, init as PID 1, the ulimits, read-only root; the host tree is unchanged', { timeout: 120_000 }, async () => {
    const before = await hashTree(tree);
    const script = [
      'echo @uid=$(id -u):$(id -g)',
      'echo @capeff=$(grep CapEff /proc/self/status | tr -d "\\t ")',
      'echo @nonewprivs=$(grep NoNewPrivs /proc/self/status | tr -d "\\t ")',
      'echo @pid1=$(cat /proc/1/comm)',
      'echo @nofile=$(ulimit -n)',
      'echo @nproc=$(ulimit -u)',
      'echo @tmpmode=$(stat -c %a /tmp)',
      'echo @pwd=$(pwd)',
      'echo @socket=$(ls /var/run/docker.sock /run/docker.sock 2>&1 | head -n 1)',
      'for p in /etc/x /usr/x /x /bin/x /sandbox/x; do if touch $p 2>/dev/null; then echo @wrote=$p; else echo @refused_$(echo $p | tr -d /)=$(touch $p 2>&1); fi; done',
      'touch /tmp/ok "$HOME/ok" ./ok && echo @scratch=writable',
      'echo changed > src/sum.js && rm package.json && echo @repo=changed',
      'echo @long=$(cat deep/*/*/long-name.txt)',
      'echo @links=$(ls reports etc-link 2>&1 | tr "\\n" " ")',
    ].join('\n');
    const { result, log } = await run({ phases: [{ name: 'test', command: script, network: 'none' }] });
    const found = markers(log);
    assert.equal(result.phases[0]?.ended, 'exited', log);
    assert.equal(found.get('uid'), '1000:1000');
    assert.equal(found.get('capeff'), 'CapEff:0000000000000000');
    assert.equal(found.get('nonewprivs'), 'NoNewPrivs:1');
    assert.equal(found.get('pid1'), 'docker-init');
    assert.equal(found.get('nofile'), String(LIMITS.openFiles));
    assert.equal(found.get('nproc'), String(LIMITS.processes));
    assert.equal(found.get('tmpmode'), '1777');
    assert.equal(found.get('pwd'), '/sandbox/repo');
    assert.match(found.get('socket') ?? '', /No such file/);
    assert.equal(found.get('wrote'), undefined, `a write outside the scratch paths succeeded: ${found.get('wrote')}`);
    for (const key of ['etcx', 'usrx', 'x', 'binx']) assert.match(found.get(`refused_${key}`) ?? '', /Read-only file system/, key);
    // The volume's top folder is root-owned: not read-only, but not writable for uid 1000 either.
    assert.match(found.get('refused_sandboxx') ?? '', /Permission denied/);
    assert.equal(found.get('scratch'), 'writable');
    assert.equal(found.get('repo'), 'changed');
    assert.equal(found.get('long'), 'a path longer than the ustar name field');
    // Symlinks of the tree are never copied (neither the one to a file nor the one to a folder).
    assert.doesNotMatch(found.get('links') ?? '', /passwd\.xml/);
    assert.match(found.get('links') ?? '', /etc-link: No such file/);
    assert.deepEqual(await hashTree(tree), before, 'the host tree folder is byte for byte unchanged');
    for (const line of ['user 1000:1000', 'network: test none', 'capabilities dropped: ALL; no-new-privileges', 'init as PID 1: yes']) {
      assert.ok(result.applied.includes(line), `applied lacks "${line}": ${result.applied.join(' | ')}`);
    }
    assert.ok(result.applied.some((line) => /^memory 256 MiB, no swap$/.test(line)), result.applied.join(' | '));
    assert.ok(result.applied.some((line) => line.startsWith('root file system read-only')), result.applied.join(' | '));
  });

  test('the environment holds only what was passed: no GITHUB_TOKEN, ANTHROPIC_API_KEY or *_TOKEN of the host; the log is redacted', { timeout: 60_000 }, async () => {
    const saved = Object.fromEntries(Object.keys(SECRETS).map((key) => [key, process.env[key]]));
    Object.assign(process.env, SECRETS);
    try {
      const { result, log } = await run({
        phases: [{ name: 'test', command: 'env | sort | sed "s/^/@env_/" ; echo @secret=$PASSED_SECRET', network: 'none' }],
        env: { FOO: 'bar', PASSED_SECRET: 'do-not-print-me' },
        redact: (text) => text.replaceAll('do-not-print-me', '***'),
      });
      assert.equal(result.phases[0]?.exitCode, 0, log);
      const names = [...log.matchAll(/^@env_([^=]+)=/gm)].map((m) => m[1]!);
      assert.ok(names.includes('FOO') && names.includes('CI') && names.includes('HOME'), names.join(' '));
      for (const name of names) assert.ok(ALLOWED_NAMES.includes(name) || name === 'FOO' || name === 'PASSED_SECRET', `unexpected variable inside: ${name}`);
      for (const [name, value] of Object.entries(SECRETS)) {
        assert.ok(!names.includes(name), `${name} reached the sandbox`);
        assert.ok(!log.includes(value), `the value of ${name} reached the sandbox`);
      }
      assert.match(log, /^@env_HOME=\/sandbox\/home$/m);
      assert.match(log, /^@env_CI=true$/m);
      assert.ok(!log.includes('do-not-print-me') && !result.logTail.includes('do-not-print-me'), 'redact applies to the log file and the tail');
      assert.match(log, /^@secret=\*\*\*$/m);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
      }
    }
  });

  test('the test phase has no network while a setup phase with network "default" reaches a server on the bridge; with "none" it does not', { timeout: 120_000 }, async () => {
    const name = `uc-test-sandbox-server-${TEST_SESSION}`;
    await docker([
      'run', '-d', '--name', name, '--label', `${SESSION_LABEL}=${TEST_SESSION}`, '--entrypoint', '/usr/local/bin/node', image,
      '-e', "require('http').createServer((q, s) => s.end('pong')).listen(8080, '0.0.0.0')",
    ]);
    try {
      const ip = (await docker(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', name])).trim();
      assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
      const probe = (tag: string) =>
        `node -e "const s = require('net').connect(8080, '${ip}'); s.setTimeout(3000); s.on('connect', () => { console.log('@${tag}=connected'); s.destroy(); }); s.on('timeout', () => { console.log('@${tag}=timeout'); s.destroy(); }); s.on('error', (e) => console.log('@${tag}=' + e.code))"`;
      const { result, log } = await run({
        phases: [
          { name: 'setup', command: `${probe('setup')}; echo @setupnet=$(ls /sys/class/net | tr "\\n" " ")`, network: 'default' },
          { name: 'test', command: `${probe('test')}; echo @testnet=$(ls /sys/class/net | tr "\\n" " ")`, network: 'none' },
        ],
      });
      const found = markers(log);
      assert.deepEqual(result.phases.map((p) => [p.name, p.ended, p.exitCode]), [['setup', 'exited', 0], ['test', 'exited', 0]], log);
      assert.equal(found.get('setup'), 'connected', log);
      assert.notEqual(found.get('test'), 'connected');
      assert.match(found.get('test') ?? '', /ENETUNREACH|EHOSTUNREACH|timeout/, log);
      assert.equal(found.get('testnet')?.trim(), 'lo');
      assert.match(found.get('setupnet') ?? '', /eth0/);
      assert.ok(result.applied.includes('network: setup default') && result.applied.includes('network: test none'), result.applied.join(' | '));

      const offline = await run({ phases: [{ name: 'setup', command: probe('setup'), network: 'none' }] });
      assert.notEqual(markers(offline.log).get('setup'), 'connected', 'setup with network "none" must not reach the server');
    } finally {
      await dockerCli(['rm', '-f', name]);
    }
  });

  test('a fork bomb is stopped by the pids limit', { timeout: 90_000 }, async () => {
    const pids = 48;
    // The bomb in the background for two seconds, then a count of the processes with shell builtins only (no fork needed), then
    // everything of uid 1000 killed: bounded whatever the bomb does.
    // Waits until a fork failed, with builtins only (once the limit is hit, the shell itself cannot fork a `sleep`): a bounded spin
    // that reads the error file every 2,000 rounds. The error file exists before the bomb starts (a redirection from a missing file
    // ends a non-interactive shell).
    const script = ': >/tmp/bomb.err; bomb() { bomb | bomb & }; ( bomb ) 2>>/tmp/bomb.err & failed=no; n=0; ' +
      'while [ $failed = no ] && [ $n -lt 600000 ]; do n=$((n+1)); case $((n % 2000)) in 0) ' +
      'while IFS= read -r line; do case $line in *fork*) failed=yes;; esac; done </tmp/bomb.err;; esac; done; ' +
      'n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo @procs=$n; [ $failed = yes ] && echo @forkfailed=yes; kill -9 -1; exit 0';
    const { result, log } = await run({ phases: [{ name: 'test', command: script, network: 'none' }], limits: { ...LIMITS, pids, timeoutMs: 30_000 } });
    const found = markers(log);
    assert.ok(result.phases[0]?.ended === 'exited' || result.phases[0]?.ended === 'timed-out', log);
    assert.ok(result.durationMs < 40_000, `the run took ${result.durationMs} ms`);
    assert.ok(Number(found.get('procs')) <= pids, `processes seen: ${found.get('procs')} (limit ${pids})\n${log}`);
    assert.equal(found.get('forkfailed'), 'yes', `forks did not fail:\n${log}`);
  });

  test('a child killed for memory while the shell exits 0 is reported out-of-memory, not exited', { timeout: 90_000 }, async () => {
    const hog = `node -e "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1))"; echo @child=$?; exit 0`;
    const { result, log } = await run({ phases: [{ name: 'test', command: hog, network: 'none' }], limits: { ...LIMITS, memoryBytes: 96 * 1024 * 1024 } });
    assert.equal(markers(log).get('child'), '137', log);
    assert.equal(result.phases[0]?.ended, 'out-of-memory', log);
  });

  test('an endless command is killed at the deadline and reported timed-out; later phases do not run', { timeout: 60_000 }, async () => {
    const started = Date.now();
    const { result } = await run({
      phases: [
        { name: 'setup', command: 'echo start; sleep 600', network: 'none' },
        { name: 'test', command: 'echo never', network: 'none' },
      ],
      limits: { ...LIMITS, timeoutMs: 3_000 },
    });
    const elapsed = Date.now() - started;
    assert.deepEqual(result.phases.map((p) => [p.name, p.ended, p.exitCode]), [['setup', 'timed-out', null], ['test', 'not-run', null]]);
    assert.ok(result.phases[0]!.durationMs >= 2_500 && result.phases[0]!.durationMs < 8_000, `setup ran ${result.phases[0]!.durationMs} ms`);
    assert.ok(elapsed < 20_000, `the whole run took ${elapsed} ms`);
    assert.match(result.logTail, /start/);
  });

  test('reports written by the command come back; one from the tree, a symlink, node_modules and one over the size bound do not', { timeout: 90_000 }, async () => {
    const script = [
      'mkdir -p reports node_modules/dep out',
      'echo "<testsuites tests=\\"1\\"/>" > reports/junit.xml',
      'echo "TAP version 13" > out/results.tap',
      'ln -s /etc/passwd reports/linked.xml',
      'echo "<x/>" > node_modules/dep/junit.xml',
      'dd if=/dev/zero of=reports/big.xml bs=1024 count=64 2>/dev/null',
      'echo @written',
      'exit 1',
    ].join('\n');
    const { result, log } = await run({
      phases: [{ name: 'test', command: script, network: 'none' }],
      collect: ['reports/*.xml', '*.tap', '**/junit.xml'],
      collectLimits: { files: 10, bytesPerFile: 16 * 1024 },
    });
    assert.equal(result.phases[0]?.exitCode, 1, log);
    assert.deepEqual([...result.files.keys()].sort(), ['out/results.tap', 'reports/junit.xml']);
    assert.equal(result.files.get('reports/junit.xml')?.toString(), '<testsuites tests="1"/>\n');
    assert.ok(result.collectWarnings.some((w) => w.startsWith('reports/big.xml') && w.includes('over the limit')), result.collectWarnings.join('\n'));
    assert.ok(!result.files.has('reports/old.xml') && !result.files.has('reports/linked.xml') && !result.files.has('reports/passwd.xml'));
  });

  test('over the file-count bound, the dropped reports are named', { timeout: 60_000 }, async () => {
    const { result } = await run({
      phases: [{ name: 'test', command: 'mkdir -p r && for i in 1 2 3 4; do echo $i > r/$i.xml; done', network: 'none' }],
      collect: ['r/*.xml'],
      collectLimits: { files: 2, bytesPerFile: 1024 },
    });
    assert.deepEqual([...result.files.keys()], ['r/1.xml', 'r/2.xml']);
    assert.match(result.collectWarnings.join('\n'), /2 report\(s\) over the limit of 2 files not brought back: r\/3\.xml, r\/4\.xml/);
  });

  test('first output is timed from the test container\'s creation; a failing setup stops the tests', { timeout: 60_000 }, async () => {
    const ok = await run({ phases: [{ name: 'test', command: 'echo hello', network: 'none' }] });
    assert.ok(ok.result.firstOutputMs !== undefined && ok.result.firstOutputMs > 0 && ok.result.firstOutputMs < 10_000, String(ok.result.firstOutputMs));
    const failed = await run({
      phases: [
        { name: 'setup', command: 'echo install failed >&2; exit 3', network: 'none' },
        { name: 'test', command: 'echo never', network: 'none' },
      ],
    });
    assert.deepEqual(failed.result.phases.map((p) => [p.name, p.ended, p.exitCode]), [['setup', 'exited', 3], ['test', 'not-run', null]]);
    assert.equal(failed.result.firstOutputMs, undefined);
    assert.match(failed.log, /install failed/);
  });

  test('cancellation through the signal kills the container and reports cancelled', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_500);
    const { result } = await run({ phases: [{ name: 'test', command: 'sleep 600', network: 'none' }], signal: controller.signal });
    assert.equal(result.phases[0]?.ended, 'cancelled');
    assert.ok(result.durationMs < 15_000, `${result.durationMs} ms`);
  });

  test('after a crash of the main process mid-run, cleanupRun by the run label leaves nothing behind', { timeout: 90_000 }, async () => {
    const runId = newRunId();
    runIds.push(runId);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, '__tests__/fixtures/sandbox/crash-run.ts'), runId, image, tree, join(scratch, 'crash.log')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      // Until its container runs.
      const deadline = Date.now() + 45_000;
      for (;;) {
        const running = (await docker(['ps', '-q', '--filter', `label=${RUN_LABEL}=${runId}`, '--filter', 'status=running'])).trim();
        if (running) break;
        assert.ok(Date.now() < deadline, `the crash fixture never started its container: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      child.kill('SIGKILL');
      await exited;
      const left = await labelled(runId);
      assert.ok(left.containers.length === 1 && left.volumes.length === 1, `a crashed run leaves its container and volume: ${JSON.stringify(left)}`);
      const report = await cleanupRun(createDockerEngine(), runId, new RecordingLogger(), { timeoutMs: 30_000 });
      assert.deepEqual(report.failures, []);
      assert.equal(report.volumes.length, 1);
      assert.deepEqual(await labelled(runId), { containers: [], volumes: [] });
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a head commit from git (the tar kind): its files owned by the sandbox user and writable, its symlinks kept as links, long paths intact', { timeout: 90_000 }, async () => {
    const repo = join(scratch, 'git-tree');
    await cp(tree, repo, { recursive: true, verbatimSymlinks: true });
    await git(repo, ['init', '-q', '-b', 'main']);
    await git(repo, ['add', '-A']);
    await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'tree']);
    const head = (await git(repo, ['rev-parse', 'HEAD'])).toString('utf8').trim();
    const checkout = await resolveHeadCheckout(repo, head);
    assert.equal(checkout.status, 'ready');
    const script = [
      'echo @owner=$(stat -c %u:%g package.json 2>/dev/null || ls -ln package.json | awk \'{print $3":"$4}\')',
      'echo @link=$(readlink etc-link)',
      `echo @long=$(cat deep/${'d'.repeat(90)}/${'e'.repeat(90)}/long-name.txt)`,
      "echo '// appended' >> src/sum.js && echo @write=ok",
      'node --test test/ >/dev/null 2>&1; echo @tests=$?',
    ].join('; ');
    const { result, log } = await run({
      tree: { kind: 'tar', open: () => checkout.value.archive(10 * 1024 * 1024) },
      phases: [{ name: 'test', command: script, network: 'none' }],
    });
    assert.equal(result.phases[0]?.exitCode, 0, log);
    const found = markers(log);
    assert.equal(found.get('owner'), '1000:1000');
    assert.equal(found.get('link'), '/etc');
    assert.equal(found.get('long'), 'a path longer than the ustar name field');
    assert.equal(found.get('write'), 'ok');
    assert.equal(found.get('tests'), '0');
  });

  test('an unknown runtime is a clear error naming it and the runtimes the engine has', { timeout: 30_000 }, async () => {
    await assert.rejects(createDockerSandbox(createDockerEngine({ runId: newRunId() }), { logger, runtime: 'runsc-not-installed' }), (error: Error) => {
      assert.ok(error instanceof ConfigurationError);
      assert.match(error.message, /no runtime "runsc-not-installed"; it has .*runc/);
      return true;
    });
  });
});
