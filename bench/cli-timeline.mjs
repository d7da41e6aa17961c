// Loaded into a CLI process by the bench (`node --import bench/cli-timeline.mjs dist/cli.js review … --verbose`), never by the
// CLI itself: it records when things happen inside the process, so the bench can say where the time goes without reaching into
// src/. Plain JavaScript: it runs in the CLI's own node, without the bench's TypeScript loader.
//
// - Every line the CLI writes to stderr, with the time it was written. stderr is a pipe here, and the CLI prints its progress only on
//   a terminal, so this process's stderr claims to be one.
// - Every process started through child_process.spawn (git, ast-grep): when it started and when it exited.
// - When the report is first written to stdout, and when the process exits.
// Times are milliseconds since the process started (performance.now()). Written as JSON to $UC_BENCH_TIMELINE at exit.
import childProcess from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const out = process.env.UC_BENCH_TIMELINE;
const events = [{ t: performance.now(), kind: 'preload' }];

Object.defineProperty(process.stderr, 'isTTY', { value: true });
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  const t = performance.now();
  for (const text of String(chunk).split('\n')) if (text) events.push({ t, kind: 'log', text });
  return write(chunk, ...rest);
};

const writeOut = process.stdout.write.bind(process.stdout);
let stdoutSeen = false;
process.stdout.write = (chunk, ...rest) => {
  if (!stdoutSeen) {
    stdoutSeen = true;
    events.push({ t: performance.now(), kind: 'stdout' });
  }
  return writeOut(chunk, ...rest);
};

const spawn = childProcess.spawn;
childProcess.spawn = function timedSpawn(command, args, options) {
  const event = { t: performance.now(), kind: 'spawn', command: basename(String(command)), args: Array.isArray(args) ? args.slice(0, 12).map(String) : [] };
  events.push(event);
  const child = spawn.call(this, command, args, options);
  child.once('exit', () => {
    event.end = performance.now();
  });
  return child;
};
// ES modules that import { spawn } from 'node:child_process' see the replacement too.
syncBuiltinESMExports();

process.once('exit', () => {
  events.push({ t: performance.now(), kind: 'exit' });
  if (out) writeFileSync(out, JSON.stringify(events));
});
