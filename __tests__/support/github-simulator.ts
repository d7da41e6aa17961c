/**
 * A stateful simulator of the part of GitHub's REST API the action uses, strict like the real service: every request is validated
 * against GitHub's OpenAPI description, review comments must sit on lines of the diff (checked with this file's own patch parser, not
 * the action's), check-run annotations come 50 per request, writes need the right identity, and so on. What GitHub would reject,
 * the simulator rejects too, and records.
 *
 * Plain `node:http` on 127.0.0.1, ephemeral port.
 *
 * Order of checks for every request (what GitHub answers first comes first):
 *   1. `Authorization: token|Bearer <token>` → else 401 "Bad credentials"; then the primary rate limit (1,000/h for GITHUB_TOKEN).
 *   2. Write bodies must be JSON (415 / 400 "Problems parsing JSON").
 *   3. The route must exist in api.github.com's OpenAPI description (else 404); owner/repo/pull number must be the simulated ones
 *      (else 404); path/query parameters and the JSON body must match the operation's schemas (else 422 "Invalid request.").
 *      All of these are recorded in `violations`.
 *   4. Injected failures; read-only mode (403 on writes); content-creation limits (80 writes a minute, 500 an hour).
 *   5. The operation, with GitHub's own rules: review comments on diff lines only (RIGHT: added/context, LEFT: removed/context),
 *      `start_line` in the same hunk and before `line`, the whole review refused when one comment is wrong; reviews on the head
 *      commit only; bodies ≤ 65,536 characters; check runs only for GitHub Apps, on a head of the pull request, ≤ 50 annotations a
 *      request (appended on updates), summary ≤ 65,535, columns only on single-line annotations; contents over 1 MB refused with the
 *      default media type; GitHub Actions may not approve; nobody approves their own pull request.
 *
 * Deliberate choices (stricter than, or unknown at, GitHub): only the author may edit or delete a comment (GitHub lets maintainers);
 * a review's `commit_id` must be the current head (GitHub accepts older commits of the pull request); exact error texts GitHub does
 * not document are close paraphrases. `requests[i].detail` says precisely why a request failed (GitHub's 422s often do not).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitRepoReader, GitTreeEntry, PullFile, PullRequestFixture } from './git-fixture.js';
import { completeFromSchema, validateRequest, validateResponse, type MatchedOperation } from './openapi-validator.js';

// ---------------------------------------------------------------------------------------------------------------------------------
// Public types

/** `'app'`: an installation token such as GITHUB_TOKEN (acts as github-actions[bot]). `{ login }`: a personal access token. */
export type Identity = 'app' | { login: string; id?: number; name?: string };

export type FailureKind =
  /** Answer `status` (default 500) without doing anything. 502 answers an HTML page, as GitHub's front end does. */
  | 'error'
  /**
   * GitHub's secondary rate limit: 403 (or `status` 429) "You have exceeded a secondary rate limit" with `retry-after` (unless
   * `retryAfter` is null: then only the message tells it, as GitHub's documentation allows).
   */
  | 'secondary-rate-limit'
  /** The primary rate limit: 403 (or `status` 429) with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`. */
  | 'primary-rate-limit'
  /** Perform the request (state changes), then answer `status` (default 502): the client cannot know it worked. */
  | 'apply-then-error'
  /** Close the connection without answering (nothing done). */
  | 'drop';

export interface FailureRule {
  /** An operation id (`pulls/create-review`) or an OpenAPI path template (`/repos/{owner}/{repo}/pulls/{pull_number}/reviews`). */
  route: string;
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests whose query has these parameters (e.g. `{ page: '2' }`: the second page of a listing). */
  query?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
  kind?: FailureKind;
  status?: number;
  /** Seconds, for the rate limits (default 1); null: a secondary rate limit without a `retry-after` header. */
  retryAfter?: number | null;
}

export interface SimulatorOptions {
  owner: string;
  repo: string;
  pullNumber: number;
  fixture: PullRequestFixture;
  /** Requests must carry `Authorization: token <token>` or `Bearer <token>`. */
  token: string;
  /** Default `'app'`. */
  identity?: Identity;
  /** Fork pull request mode: the token is read-only, every write answers 403. */
  readOnly?: boolean;
  /** Login of the pull request's author (default `octocat`). */
  prAuthor?: string;
  /** Owner of the head repository (default: `owner`, or `fork-contributor` in read-only mode; a different owner makes it a fork). */
  headRepoOwner?: string;
  title?: string;
  body?: string;
  /** `pulls/files` lists at most this many files (GitHub: 3000). */
  fileCap?: number;
  /** Failures to inject (see `failNext`). */
  failures?: FailureRule[];
  /**
   * Validate every 2xx JSON response against GitHub's response schemas (into `responseViolations`). Default false. Note: outdated
   * review comments (after `push`) carry `line: null` and `position: null` like GitHub's, which its schema does not allow.
   */
  validateResponses?: boolean;
  /**
   * Requests per hour (GitHub: 1,000 per repository for GITHUB_TOKEN, 5,000 for a personal access token: the defaults). Past it,
   * 403 "API rate limit exceeded" with `x-ratelimit-remaining: 0`. `false` turns it off.
   */
  primaryRateLimit?: number | false;
  /** GitHub's content-creation limits on writes: 80 a minute, 500 an hour by default; `false` turns them off. */
  secondaryRateLimit?: false | { perMinute?: number; perHour?: number };
  /** The repository setting "Allow GitHub Actions to create and approve pull requests" (default off, like new repositories). */
  actionsCanApprove?: boolean;
  /** Clock (default: real time). */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (undefined when none). */
  body: unknown;
  status: number;
  operationId?: string;
  template?: string;
  /** Why the simulator answered an error (what GitHub would not always say, e.g. which review comment failed). */
  detail?: string;
  /** Set when a failure was injected. */
  injected?: FailureKind;
  headers: { accept?: string; contentType?: string; userAgent?: string };
}

export type ViolationKind =
  | 'unknown-route'
  | 'invalid-request'
  | 'unsupported-media-type'
  | 'malformed-json'
  | 'unknown-resource'
  | 'unimplemented'
  | 'invalid-response'
  | 'simulator-error';

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId?: string;
  messages: string[];
}

export interface SimUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
  name?: string;
}

export type ReviewState = 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
export type Side = 'LEFT' | 'RIGHT';

export interface ReviewRecord {
  id: number;
  nodeId: string;
  user: SimUser;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt?: string;
}

export interface ReviewCommentRecord {
  id: number;
  nodeId: string;
  reviewId: number;
  user: SimUser;
  body: string;
  path: string;
  /** null once outdated by a push. */
  line: number | null;
  side: Side;
  startLine: number | null;
  startSide: Side | null;
  position: number | null;
  originalLine: number;
  originalStartLine: number | null;
  originalPosition: number;
  commitId: string;
  originalCommitId: string;
  diffHunk: string;
  /** Text of the commented line (without the diff marker), to follow it across pushes. */
  lineText: string;
  inReplyToId?: number;
  createdAt: string;
  updatedAt: string;
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  nodeId: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  externalId: string;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRecord[];
  /** How many create/update requests carried annotations (each at most 50). */
  annotationBatches: number[];
}

export interface IssueCommentRecord {
  id: number;
  nodeId: string;
  user: SimUser;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimulatorState {
  baseSha: string;
  headSha: string;
  /** Every head the pull request had, oldest first. */
  heads: string[];
  files: PullFile[];
  fixture: PullRequestFixture;
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  checkRuns: CheckRunRecord[];
  issueComments: IssueCommentRecord[];
}

export interface GitHubSimulator {
  /** e.g. `http://127.0.0.1:PORT`: Octokit's `baseUrl`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests GitHub's API description rejects (or that the simulator cannot serve): tests assert this stays empty. */
  violations: Violation[];
  /** Responses of the simulator that do not match GitHub's response schemas (with `validateResponses`). */
  responseViolations: Violation[];
  state: SimulatorState;
  /** The identity's user, as comments and reviews show it. */
  actor: SimUser;
  /** Makes the next matching request(s) fail. */
  failNext(rule: FailureRule): void;
  /** A human's reply to a review comment (`in_reply_to_id`), as its own review, like GitHub does. */
  addReply(commentId: number, body: string, login?: string): ReviewCommentRecord;
  /** A human's review comment on a line of the diff (validated like the API does). */
  addReviewComment(input: { path: string; line: number; side?: Side; startLine?: number; body: string; login?: string }): ReviewCommentRecord;
  /** A new push to the pull request: new head sha and files; existing comments follow their line or become outdated. */
  push(fixture: PullRequestFixture): void;
  /** Requests matching an operation id (or path template), for assertions. */
  requestsFor(route: string, method?: string): RecordedRequest[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Patch parsing (independent of the action's own)

export interface DiffLine {
  kind: 'context' | 'added' | 'removed';
  oldLine?: number;
  newLine?: number;
  /** GitHub's (deprecated) `position`: lines below the first hunk header, counting later headers. */
  position: number;
  hunk: number;
  text: string;
}

export interface ParsedHunk {
  header: string;
  position: number;
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

export interface ParsedPatch {
  hunks: ParsedHunk[];
  /** New-file line → its diff line (added or context). */
  right: Map<number, DiffLine>;
  /** Old-file line → its diff line (removed or context). */
  left: Map<number, DiffLine>;
  byPosition: Map<number, DiffLine>;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses a GitHub `patch` (hunks only). Throws on a malformed patch: hunk counts must add up. */
export function parsePatch(patch: string): ParsedPatch {
  const result: ParsedPatch = { hunks: [], right: new Map(), left: new Map(), byPosition: new Map() };
  const lines = patch.split('\n');
  let position = -1;
  let hunk: ParsedHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  const finish = (): void => {
    if (hunk && (oldLeft !== 0 || newLeft !== 0)) {
      throw new Error(`malformed patch: hunk "${hunk.header}" is ${oldLeft} old / ${newLeft} new lines short`);
    }
  };
  for (const [index, line] of lines.entries()) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      finish();
      position++;
      hunk = {
        header: line,
        position,
        oldStart: Number(header[1]),
        oldCount: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newCount: header[4] === undefined ? 1 : Number(header[4]),
        lines: [],
      };
      result.hunks.push(hunk);
      oldLine = hunk.oldStart;
      newLine = hunk.newStart;
      oldLeft = hunk.oldCount;
      newLeft = hunk.newCount;
      continue;
    }
    // A trailing newline after a complete last hunk is tolerated; any other line without a marker is not.
    if (line === '' && index === lines.length - 1 && oldLeft === 0 && newLeft === 0) continue;
    if (!hunk) throw new Error(`malformed patch: text before the first hunk header: ${JSON.stringify(line.slice(0, 40))}`);
    position++;
    const marker = line[0];
    const text = line.slice(1);
    const hunkIndex = result.hunks.length - 1;
    let diffLine: DiffLine | undefined;
    if (marker === '\\') continue; // "\ No newline at end of file": takes a position, is no line
    if (marker === ' ') {
      diffLine = { kind: 'context', oldLine, newLine, position, hunk: hunkIndex, text };
      result.left.set(oldLine++, diffLine);
      result.right.set(newLine++, diffLine);
      oldLeft--;
      newLeft--;
    } else if (marker === '-') {
      diffLine = { kind: 'removed', oldLine, position, hunk: hunkIndex, text };
      result.left.set(oldLine++, diffLine);
      oldLeft--;
    } else if (marker === '+') {
      diffLine = { kind: 'added', newLine, position, hunk: hunkIndex, text };
      result.right.set(newLine++, diffLine);
      newLeft--;
    } else {
      throw new Error(`malformed patch: unexpected line ${JSON.stringify(line.slice(0, 40))}`);
    }
    if (oldLeft < 0 || newLeft < 0) throw new Error(`malformed patch: hunk "${hunk.header}" has more lines than it announces`);
    hunk.lines.push(diffLine);
    result.byPosition.set(position, diffLine);
  }
  finish();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Errors

const MAX_BODY = 65536;
const MAX_SUMMARY = 65535;
const MAX_ANNOTATIONS = 50;
const CONTENTS_LIMIT = 1024 * 1024;
const BLOB_LIMIT = 100 * 1024 * 1024;
const TREE_LIMIT = 100_000;
const OBJECT_MEDIA = 'application/vnd.github.object';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : String(body.message));
  }
}

function ghError(status: number, message: string, docs: string, extra: Record<string, unknown> = {}, detail?: string): HttpError {
  return new HttpError(status, { message, ...extra, documentation_url: docs, status: String(status) }, detail);
}

/** The 422 GitHub gives for reviews: string errors, no hint of which comment failed. */
function unprocessable(errors: string[], docs: string, detail?: string): HttpError {
  return ghError(422, 'Unprocessable Entity', docs, { errors }, detail ?? errors.join('; '));
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Simulator

const BOT: SimUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const WEB = 'https://github.com';

function numericId(text: string): number {
  return (createHash('sha1').update(text).digest().readUInt32BE(0) % 90_000_000) + 1_000_000;
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`sim:${id}`).toString('base64').replace(/=+$/, '')}`;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function base64Wrapped(data: Buffer): string {
  const text = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 60) lines.push(text.slice(i, i + 60));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function isWrite(method: string): boolean {
  return method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  op: MatchedOperation;
  params: Record<string, unknown>;
  accept: string;
  record: RecordedRequest;
  /** Response headers to add (Link...). */
  headers: Record<string, string>;
}

interface Reply {
  status: number;
  /** JSON body, or raw content with its type. */
  json?: unknown;
  /** The documented media type the JSON answers to (default `application/json`), for response validation. */
  mediaType?: string;
  raw?: { data: Buffer | string; contentType: string };
}

interface ResolvedComment {
  path: string;
  line: number;
  side: Side;
  startLine: number | null;
  startSide: Side | null;
  position: number;
  diffHunk: string;
  lineText: string;
}

export async function startGitHubSimulator(options: SimulatorOptions): Promise<GitHubSimulator> {
  const now = options.now ?? (() => new Date());
  const timestamp = (): string => now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const identity: Identity = options.identity ?? 'app';
  const actor: SimUser =
    identity === 'app'
      ? BOT
      : { login: identity.login, id: identity.id ?? numericId(`user:${identity.login}`), type: 'User', name: identity.name };
  const prAuthor: SimUser = { login: options.prAuthor ?? 'octocat', id: numericId(`user:${options.prAuthor ?? 'octocat'}`), type: 'User' };
  const ownerUser: SimUser = { login: options.owner, id: numericId(`owner:${options.owner}`), type: 'Organization' };
  const headOwnerLogin = options.headRepoOwner ?? (options.readOnly ? 'fork-contributor' : options.owner);
  const headOwner: SimUser =
    headOwnerLogin.toLowerCase() === options.owner.toLowerCase()
      ? ownerUser
      : { login: headOwnerLogin, id: numericId(`owner:${headOwnerLogin}`), type: 'User' };
  const fileCap = options.fileCap ?? 3000;
  const limits = options.secondaryRateLimit === false ? undefined : { perMinute: 80, perHour: 500, ...options.secondaryRateLimit };
  const failures: (FailureRule & { left: number })[] = (options.failures ?? []).map((rule) => ({ ...rule, left: rule.times ?? 1 }));
  const createdAt = timestamp();
  const repoId = numericId(`repo:${options.owner}/${options.repo}`);
  const prId = numericId(`pr:${options.owner}/${options.repo}#${options.pullNumber}`);
  let nextId = 1000;
  const newId = (): number => ++nextId;
  const writes: number[] = [];
  const rateLimit = options.primaryRateLimit === false ? Infinity : (options.primaryRateLimit ?? (identity === 'app' ? 1000 : 5000));
  let rateUsed = 0;
  const rateReset = Math.floor(now().getTime() / 1000) + 3600;

  const state: SimulatorState = {
    baseSha: options.fixture.baseSha,
    headSha: options.fixture.headSha,
    heads: [options.fixture.headSha],
    files: options.fixture.files,
    fixture: options.fixture,
    reviews: [],
    reviewComments: [],
    checkRuns: [],
    issueComments: [],
  };
  const readers: GitRepoReader[] = [options.fixture.git];
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const responseViolations: Violation[] = [];
  const patchCache = new Map<string, ParsedPatch>();

  let baseUrl = '';
  const apiRepo = (): string => `${baseUrl}/repos/${options.owner}/${options.repo}`;
  const webRepo = `${WEB}/${options.owner}/${options.repo}`;
  const webPull = `${webRepo}/pull/${options.pullNumber}`;
  const apiPull = (): string => `${apiRepo()}/pulls/${options.pullNumber}`;

  // ---------------------------------------------------------------------------------------------------------- JSON builders
  const userJson = (user: SimUser): Record<string, unknown> => {
    const enc = encodeURIComponent(user.login);
    const api = `${baseUrl}/users/${enc}`;
    return {
      login: user.login,
      id: user.id,
      node_id: nodeId(user.type === 'Bot' ? 'BOT' : user.type === 'Organization' ? 'O' : 'U', user.id),
      avatar_url: user.type === 'Bot' ? 'https://avatars.githubusercontent.com/in/15368?v=4' : `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: user.type === 'Bot' ? `${WEB}/apps/github-actions` : `${WEB}/${enc}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: user.type,
      user_view_type: 'public',
      site_admin: false,
    };
  };

  const associationOf = (user: SimUser): string => {
    if (user.type === 'Bot') return 'NONE';
    if (user.login.toLowerCase() === options.owner.toLowerCase()) return 'OWNER';
    if (user.login === prAuthor.login) return 'CONTRIBUTOR';
    return 'COLLABORATOR';
  };

  const repositoryJson = (owner: SimUser, name: string, fork: boolean): Record<string, unknown> => {
    const api = `${baseUrl}/repos/${owner.login}/${name}`;
    const web = `${WEB}/${owner.login}/${name}`;
    return completeFromSchema('repository', {
      id: fork ? numericId(`repo:${owner.login}/${name}`) : repoId,
      node_id: nodeId('R', fork ? numericId(`repo:${owner.login}/${name}`) : repoId),
      name,
      full_name: `${owner.login}/${name}`,
      private: false,
      owner: userJson(owner),
      html_url: web,
      description: null,
      fork,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      assignees_url: `${api}/assignees{/user}`,
      blobs_url: `${api}/git/blobs{/sha}`,
      branches_url: `${api}/branches{/branch}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      comments_url: `${api}/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      contents_url: `${api}/contents/{+path}`,
      contributors_url: `${api}/contributors`,
      deployments_url: `${api}/deployments`,
      downloads_url: `${api}/downloads`,
      events_url: `${api}/events`,
      forks_url: `${api}/forks`,
      git_commits_url: `${api}/git/commits{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_url: `git://github.com/${owner.login}/${name}.git`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      issue_events_url: `${api}/issues/events{/number}`,
      issues_url: `${api}/issues{/number}`,
      keys_url: `${api}/keys{/key_id}`,
      labels_url: `${api}/labels{/name}`,
      languages_url: `${api}/languages`,
      merges_url: `${api}/merges`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      pulls_url: `${api}/pulls{/number}`,
      releases_url: `${api}/releases{/id}`,
      ssh_url: `git@github.com:${owner.login}/${name}.git`,
      stargazers_url: `${api}/stargazers`,
      statuses_url: `${api}/statuses/{sha}`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      tags_url: `${api}/tags`,
      teams_url: `${api}/teams`,
      trees_url: `${api}/git/trees{/sha}`,
      clone_url: `${web}.git`,
      mirror_url: null,
      hooks_url: `${api}/hooks`,
      svn_url: web,
      homepage: null,
      language: null,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: state.fixture.baseRef,
      open_issues_count: 1,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: 'public',
      pushed_at: createdAt,
      created_at: createdAt,
      updated_at: createdAt,
      allow_forking: true,
      web_commit_signoff_required: false,
      license: null,
      forks: 0,
      open_issues: 1,
      watchers: 0,
    });
  };

  const appJson = (): Record<string, unknown> => ({
    id: 15368,
    slug: 'github-actions',
    client_id: 'Iv1.05c79e9ad1f6bdfa',
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: userJson({ login: 'github', id: 9919, type: 'Organization' }),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${WEB}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2019-12-10T19:04:12Z',
    permissions: { checks: 'write', contents: 'read', metadata: 'read', pull_requests: 'write' },
    events: ['check_run', 'check_suite', 'pull_request', 'push'],
  });

  const mergeSha = (): string => createHash('sha1').update(`merge:${state.baseSha}:${state.headSha}`).digest('hex');

  const pullJson = (): Record<string, unknown> => {
    const additions = state.files.reduce((n, f) => n + f.additions, 0);
    const deletions = state.files.reduce((n, f) => n + f.deletions, 0);
    const fork = headOwner !== ownerUser;
    return completeFromSchema('pull-request', {
      url: apiPull(),
      id: prId,
      node_id: nodeId('PR', prId),
      html_url: webPull,
      diff_url: `${webPull}.diff`,
      patch_url: `${webPull}.patch`,
      issue_url: `${apiRepo()}/issues/${options.pullNumber}`,
      commits_url: `${apiPull()}/commits`,
      review_comments_url: `${apiPull()}/comments`,
      review_comment_url: `${apiRepo()}/pulls/comments{/number}`,
      comments_url: `${apiRepo()}/issues/${options.pullNumber}/comments`,
      statuses_url: `${apiRepo()}/statuses/${state.headSha}`,
      number: options.pullNumber,
      state: 'open',
      locked: false,
      title: options.title ?? 'Simulated pull request',
      user: userJson(prAuthor),
      body: options.body ?? null,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: createdAt,
      updated_at: createdAt,
      closed_at: null,
      merged_at: null,
      // The test merge commit (refs/pull/N/merge): not a commit of this repository's branches, like GITHUB_SHA on pull_request.
      merge_commit_sha: mergeSha(),
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: {
        label: `${headOwner.login}:${state.fixture.headRef}`,
        ref: state.fixture.headRef,
        sha: state.headSha,
        user: userJson(headOwner),
        repo: repositoryJson(headOwner, options.repo, fork),
      },
      base: {
        label: `${options.owner}:${state.fixture.baseRef}`,
        ref: state.fixture.baseRef,
        sha: state.baseSha,
        user: userJson(ownerUser),
        repo: repositoryJson(ownerUser, options.repo, false),
      },
      _links: {
        self: { href: apiPull() },
        html: { href: webPull },
        issue: { href: `${apiRepo()}/issues/${options.pullNumber}` },
        comments: { href: `${apiRepo()}/issues/${options.pullNumber}/comments` },
        review_comments: { href: `${apiPull()}/comments` },
        review_comment: { href: `${apiRepo()}/pulls/comments{/number}` },
        commits: { href: `${apiPull()}/commits` },
        statuses: { href: `${apiRepo()}/statuses/${state.headSha}` },
      },
      author_association: 'CONTRIBUTOR',
      auto_merge: null,
      draft: false,
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: state.issueComments.length,
      review_comments: state.reviewComments.length,
      maintainer_can_modify: false,
      commits: state.heads.length,
      additions,
      deletions,
      changed_files: state.files.length,
    });
  };

  const fileJson = (file: PullFile): Record<string, unknown> => {
    const removed = file.status === 'removed';
    const commit = removed ? state.baseSha : state.headSha;
    const out: Record<string, unknown> = {
      sha: file.sha,
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.changes,
      blob_url: `${webRepo}/blob/${commit}/${encodePath(file.filename)}`,
      raw_url: `${webRepo}/raw/${commit}/${encodePath(file.filename)}`,
      contents_url: `${apiRepo()}/contents/${encodePath(file.filename)}?ref=${commit}`,
    };
    if (file.patch !== undefined) out.patch = file.patch;
    if (file.previous_filename !== undefined) out.previous_filename = file.previous_filename;
    return out;
  };

  const reactions = (url: string): Record<string, unknown> => ({
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  });

  const reviewJson = (review: ReviewRecord): Record<string, unknown> => {
    const html = `${webPull}#pullrequestreview-${review.id}`;
    const out: Record<string, unknown> = {
      id: review.id,
      node_id: review.nodeId,
      user: userJson(review.user),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: apiPull(),
      author_association: associationOf(review.user),
      _links: { html: { href: html }, pull_request: { href: apiPull() } },
      commit_id: review.commitId,
    };
    if (review.submittedAt) out.submitted_at = review.submittedAt;
    return out;
  };

  const commentJson = (c: ReviewCommentRecord): Record<string, unknown> => {
    const url = `${apiRepo()}/pulls/comments/${c.id}`;
    const html = `${webPull}#discussion_r${c.id}`;
    const out: Record<string, unknown> = {
      url,
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: c.nodeId,
      diff_hunk: c.diffHunk,
      path: c.path,
      position: c.position,
      original_position: c.originalPosition,
      commit_id: c.commitId,
      original_commit_id: c.originalCommitId,
      user: userJson(c.user),
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: html,
      pull_request_url: apiPull(),
      author_association: associationOf(c.user),
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: apiPull() } },
      reactions: reactions(`${url}/reactions`),
      start_line: c.startLine,
      original_start_line: c.originalStartLine,
      start_side: c.startSide,
      line: c.line,
      original_line: c.originalLine,
      side: c.side,
      subject_type: 'line',
    };
    if (c.inReplyToId !== undefined) out.in_reply_to_id = c.inReplyToId;
    return out;
  };

  const checkRunJson = (run: CheckRunRecord): Record<string, unknown> => {
    const url = `${apiRepo()}/check-runs/${run.id}`;
    const html = `${webRepo}/runs/${run.id}`;
    const fork = headOwner !== ownerUser;
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: run.nodeId,
      external_id: run.externalId,
      url,
      html_url: html,
      details_url: run.detailsUrl ?? html,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: numericId(`suite:${run.headSha}`) },
      app: appJson(),
      // The Checks API does not find pull requests from forks.
      pull_requests: fork
        ? []
        : [
            {
              url: apiPull(),
              id: prId,
              number: options.pullNumber,
              head: { ref: state.fixture.headRef, sha: state.headSha, repo: { id: repoId, url: apiRepo(), name: options.repo } },
              base: { ref: state.fixture.baseRef, sha: state.baseSha, repo: { id: repoId, url: apiRepo(), name: options.repo } },
            },
          ],
    };
  };

  const annotationJson = (run: CheckRunRecord, a: AnnotationRecord): Record<string, unknown> => ({
    path: a.path,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? null,
    message: a.message,
    raw_details: a.raw_details ?? null,
    blob_href: `${webRepo}/blob/${run.headSha}/${encodePath(a.path)}`,
  });

  const issueCommentJson = (c: IssueCommentRecord): Record<string, unknown> => {
    const url = `${apiRepo()}/issues/comments/${c.id}`;
    return {
      id: c.id,
      node_id: c.nodeId,
      url,
      html_url: `${webPull}#issuecomment-${c.id}`,
      body: c.body,
      user: userJson(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${apiRepo()}/issues/${options.pullNumber}`,
      author_association: associationOf(c.user),
      reactions: reactions(`${url}/reactions`),
    };
  };

  const contentItemJson = (entry: GitTreeEntry, ref: string): Record<string, unknown> => {
    const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : entry.mode === '120000' ? 'symlink' : 'file';
    const url = `${apiRepo()}/contents/${encodePath(entry.path)}?ref=${encodeURIComponent(ref)}`;
    const gitUrl = entry.type === 'commit' ? null : `${apiRepo()}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
    const html = entry.type === 'commit' ? null : `${webRepo}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${encodePath(entry.path)}`;
    return {
      type,
      size: entry.size ?? 0,
      name: entry.path.split('/').pop() ?? entry.path,
      path: entry.path,
      sha: entry.sha,
      url,
      git_url: gitUrl,
      html_url: html,
      download_url: type === 'file' ? `https://raw.githubusercontent.com/${options.owner}/${options.repo}/${ref}/${encodePath(entry.path)}` : null,
      _links: { self: url, git: gitUrl, html },
    };
  };

  // ---------------------------------------------------------------------------------------------------------- helpers
  const visibleReviews = (): ReviewRecord[] => state.reviews.filter((r) => r.state !== 'PENDING' || r.user.login === actor.login);
  const visibleComments = (): ReviewCommentRecord[] => {
    const visible = new Set(visibleReviews().map((r) => r.id));
    return state.reviewComments.filter((c) => visible.has(c.reviewId));
  };

  const paginate = <T>(ctx: RequestContext, items: readonly T[]): T[] => {
    const requested = typeof ctx.params.per_page === 'number' ? ctx.params.per_page : 30;
    const perPage = requested < 1 ? 30 : Math.min(100, Math.floor(requested));
    const page = typeof ctx.params.page === 'number' && ctx.params.page >= 1 ? Math.floor(ctx.params.page) : 1;
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number): string => {
      const query = new URLSearchParams(ctx.query);
      query.set('page', String(n));
      if (ctx.query.has('per_page')) query.set('per_page', String(perPage));
      return `${baseUrl}${ctx.path}?${query.toString()}`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${link(Math.min(page - 1, last))}>; rel="prev"`);
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`);
    if (links.length > 0) ctx.headers.link = links.join(', ');
    return items.slice((page - 1) * perPage, page * perPage);
  };

  const parsedPatch = (file: PullFile): ParsedPatch | undefined => {
    if (file.patch === undefined) return undefined;
    const key = `${file.filename}\0${file.sha}\0${file.patch}`;
    let parsed = patchCache.get(key);
    if (!parsed) {
      parsed = parsePatch(file.patch);
      patchCache.set(key, parsed);
    }
    return parsed;
  };

  const checkBody = (body: unknown, docs: string, what = 'Body'): string => {
    if (typeof body !== 'string' || body.trim() === '') throw unprocessable([`${what} can't be blank`], docs);
    if (codePoints(body) > MAX_BODY) throw unprocessable([`${what} is too long (maximum is ${MAX_BODY} characters)`], docs);
    return body;
  };

  /** Places a review comment on the diff, by GitHub's rules; throws the 422 GitHub gives (without saying which comment). */
  const resolveComment = (c: Record<string, unknown>, index: number, docs: string): ResolvedComment => {
    const fail = (error: string, why: string): HttpError => unprocessable([error], docs, `comments[${index}] (${String(c.path)}): ${why}`);
    const path = String(c.path);
    const file = state.files.find((f) => f.filename === path);
    if (!file) throw fail('Path could not be resolved', 'the file is not part of the pull request');
    const patch = parsedPatch(file);
    if (!patch) throw fail('Line could not be resolved', 'the file has no patch (binary or too large): no line can be commented');
    const line = c.line as number | undefined;
    const position = c.position as number | undefined;
    let target: DiffLine | undefined;
    let side: Side;
    if (line !== undefined) {
      if (position !== undefined) throw fail('Line could not be resolved', 'both line and position given');
      const rawSide = c.side ?? 'RIGHT';
      if (rawSide !== 'RIGHT' && rawSide !== 'LEFT') throw fail('Side is invalid', `side ${JSON.stringify(rawSide)} is not LEFT or RIGHT`);
      side = rawSide;
      target = (side === 'RIGHT' ? patch.right : patch.left).get(line);
      if (!target) {
        throw fail(
          'Line could not be resolved',
          `${side} line ${line} is not ${side === 'RIGHT' ? 'an added or context line' : 'a removed or context line'} of the diff`,
        );
      }
    } else if (position !== undefined) {
      target = patch.byPosition.get(position);
      if (!target) throw fail('Line could not be resolved', `position ${position} is not a line of the diff`);
      side = target.kind === 'removed' ? 'LEFT' : 'RIGHT';
    } else {
      throw fail('Line could not be resolved', 'neither line nor position given');
    }
    const lineNumber = (side === 'RIGHT' ? target.newLine : target.oldLine) ?? 0;
    let startLine: number | null = null;
    let startSide: Side | null = null;
    if (c.start_line !== undefined) {
      if (line === undefined) throw fail('Line could not be resolved', 'start_line needs line');
      const rawStartSide = c.start_side ?? side;
      if (rawStartSide !== 'RIGHT' && rawStartSide !== 'LEFT') throw fail('Start side is invalid', `start_side ${JSON.stringify(rawStartSide)}`);
      const requestedStart = c.start_line as number;
      const start = (rawStartSide === 'RIGHT' ? patch.right : patch.left).get(requestedStart);
      if (!start) throw fail('Start line could not be resolved', `${rawStartSide} start_line ${requestedStart} is not in the diff`);
      if (start.hunk !== target.hunk) {
        throw fail(
          'Pull request review thread start line must be part of the same hunk as the line.',
          `start_line ${requestedStart} (hunk ${start.hunk + 1}) and line ${line} (hunk ${target.hunk + 1}) are in different hunks`,
        );
      }
      if (start.position >= target.position) {
        throw fail('Pull request review thread start line must precede the end line.', `start_line ${requestedStart} is not before line ${line}`);
      }
      startLine = requestedStart;
      startSide = rawStartSide;
    }
    const hunk = patch.hunks[target.hunk];
    if (!hunk) throw fail('Line could not be resolved', 'internal: hunk missing');
    const upTo = hunk.lines.filter((l) => l.position <= target.position);
    const diffHunk = [hunk.header, ...upTo.map((l) => `${l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' '}${l.text}`)].join('\n');
    return { path, line: lineNumber, side, startLine, startSide, position: target.position, diffHunk, lineText: target.text };
  };

  const addCommentRecord = (
    review: ReviewRecord,
    resolved: ResolvedComment,
    body: string,
    user: SimUser,
    inReplyToId?: number,
  ): ReviewCommentRecord => {
    const id = newId();
    const at = timestamp();
    const record: ReviewCommentRecord = {
      id,
      nodeId: nodeId('PRRC', id),
      reviewId: review.id,
      user,
      body,
      path: resolved.path,
      line: resolved.line,
      side: resolved.side,
      startLine: resolved.startLine,
      startSide: resolved.startSide,
      position: resolved.position,
      originalLine: resolved.line,
      originalStartLine: resolved.startLine,
      originalPosition: resolved.position,
      commitId: review.commitId,
      originalCommitId: review.commitId,
      diffHunk: resolved.diffHunk,
      lineText: resolved.lineText,
      createdAt: at,
      updatedAt: at,
    };
    if (inReplyToId !== undefined) record.inReplyToId = inReplyToId;
    state.reviewComments.push(record);
    return record;
  };

  const newReview = (user: SimUser, body: string, reviewState: ReviewState, commitId: string): ReviewRecord => {
    const id = newId();
    const review: ReviewRecord = { id, nodeId: nodeId('PRR', id), user, body, state: reviewState, commitId };
    if (reviewState !== 'PENDING') review.submittedAt = timestamp();
    state.reviews.push(review);
    return review;
  };

  const replyTo = (parentId: number, body: string, user: SimUser, docs: string): ReviewCommentRecord => {
    const parent = state.reviewComments.find((c) => c.id === parentId);
    if (!parent) throw ghError(404, 'Not Found', docs);
    // GitHub threads replies under the thread's first comment.
    const root = parent.inReplyToId !== undefined ? (state.reviewComments.find((c) => c.id === parent.inReplyToId) ?? parent) : parent;
    const review = newReview(user, '', 'COMMENTED', state.headSha);
    const resolved: ResolvedComment = {
      path: root.path,
      line: root.originalLine,
      side: root.side,
      startLine: root.originalStartLine,
      startSide: root.startSide,
      position: root.originalPosition,
      diffHunk: root.diffHunk,
      lineText: root.lineText,
    };
    const record = addCommentRecord(review, resolved, body, user, root.id);
    record.line = root.line;
    record.position = root.position;
    record.commitId = root.commitId;
    record.originalCommitId = root.originalCommitId;
    return record;
  };

  const findReader = async <T>(read: (reader: GitRepoReader) => Promise<T | undefined>): Promise<T | undefined> => {
    for (const reader of readers) {
      const value = await read(reader);
      if (value !== undefined) return value;
    }
    return undefined;
  };

  const mustBeAuthor = (user: SimUser, docs: string): void => {
    if (user.login !== actor.login) {
      throw ghError(
        403,
        identity === 'app' ? 'Resource not accessible by integration' : 'Must have admin rights to Repository.',
        docs,
        {},
        `${actor.login} may not change what ${user.login} wrote`,
      );
    }
  };

  const validateAnnotations = (annotations: unknown, docs: string): AnnotationRecord[] => {
    if (annotations === undefined) return [];
    const list = annotations as AnnotationRecord[];
    if (list.length > MAX_ANNOTATIONS) {
      throw ghError(422, 'Invalid request.', docs, { errors: [`Only ${MAX_ANNOTATIONS} annotations are allowed per request (got ${list.length}).`] });
    }
    list.forEach((a, i) => {
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
        throw ghError(422, 'Invalid request.', docs, {
          errors: [`annotations[${i}]: start_column and end_column are only allowed when start_line equals end_line.`],
        });
      }
    });
    return list.map((a) => ({ ...a }));
  };

  const checkOutput = (output: Record<string, unknown> | undefined, docs: string): void => {
    if (!output) return;
    for (const field of ['summary', 'text'] as const) {
      const value = output[field];
      if (typeof value === 'string' && codePoints(value) > MAX_SUMMARY) {
        throw ghError(422, 'Invalid request.', docs, { errors: [`output.${field} is too long (maximum is ${MAX_SUMMARY} characters)`] });
      }
    }
  };

  // ---------------------------------------------------------------------------------------------------------- handlers
  type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;
  const ok = (json: unknown, status = 200): Reply => ({ status, json });
  const notFound = (ctx: RequestContext, detail?: string): HttpError => ghError(404, 'Not Found', ctx.op.docsUrl, {}, detail);

  const handlers: Record<string, Handler> = {
    'repos/get': () => ok(completeFromSchema('full-repository', { ...repositoryJson(ownerUser, options.repo, false), network_count: 0, subscribers_count: 0 })),

    'pulls/get': (ctx) => {
      if (/vnd\.github(\.v3)?\.(diff|patch)/.test(ctx.accept)) {
        const lines = state.fixture.diff.split('\n').length;
        if (state.files.length > 300) {
          throw ghError(406, "Sorry, the diff exceeded the maximum number of files (300). Consider using 'List pull requests files' API or locally cloning the repository instead.", ctx.op.docsUrl, {
            errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }],
          });
        }
        if (lines > 20_000) {
          throw ghError(406, "Sorry, the diff exceeded the maximum number of lines (20000). Consider using 'List pull requests files' API or locally cloning the repository instead.", ctx.op.docsUrl, {
            errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }],
          });
        }
        return { status: 200, raw: { data: state.fixture.diff, contentType: 'application/vnd.github.diff; charset=utf-8' } };
      }
      return ok(pullJson());
    },

    'pulls/list-files': (ctx) => ok(paginate(ctx, state.files.slice(0, fileCap)).map(fileJson)),

    // The PR's commits, oldest first: here, the head of each push (every push adds one commit).
    'pulls/list-commits': (ctx) =>
      ok(
        paginate(ctx, state.heads).map((sha) => {
          const index = state.heads.indexOf(sha);
          return completeFromSchema('commit', {
            sha,
            node_id: nodeId('C', numericId(`commit:${sha}`)),
            url: `${apiRepo()}/commits/${sha}`,
            html_url: `${webRepo}/commit/${sha}`,
            comments_url: `${apiRepo()}/commits/${sha}/comments`,
            commit: {
              url: `${apiRepo()}/git/commits/${sha}`,
              message: `Push ${index + 1}`,
              comment_count: 0,
              tree: { sha: createHash('sha1').update(`tree:${sha}`).digest('hex'), url: `${apiRepo()}/git/trees/${sha}` },
              author: null,
              committer: null,
            },
            author: null,
            committer: null,
            parents: index > 0 ? [{ sha: state.heads[index - 1]!, url: `${apiRepo()}/commits/${state.heads[index - 1]!}` }] : [],
          });
        }),
      ),

    'repos/get-content': async (ctx) => {
      const ref = ctx.query.get('ref') ?? state.fixture.baseRef;
      const commit = await findReader((r) => r.resolveCommit(ref));
      if (!commit) throw ghError(404, `No commit found for the ref ${ref}`, ctx.op.docsUrl);
      const path = (ctx.op.params.path ?? '').replace(/\/+$/, '');
      const objectMedia = /vnd\.github(\.v3)?\.object/.test(ctx.accept);
      const rawMedia = /vnd\.github(\.v3)?\.raw/.test(ctx.accept);
      const entry = path === '' ? undefined : await findReader((r) => r.entryAt(commit, path));
      if (path === '' || entry?.type === 'tree') {
        const children = (await findReader((r) => r.listDirectory(commit, path))) ?? [];
        const listing = children.map((child) => contentItemJson(child, ref));
        if (objectMedia) {
          const rootSha = (await findReader((r) => r.listTree(commit, false)))?.sha ?? '';
          const self: GitTreeEntry = entry ?? { path: '', sha: rootSha, type: 'tree', mode: '040000' };
          return { status: 200, json: { ...contentItemJson(self, ref), entries: listing }, mediaType: OBJECT_MEDIA };
        }
        return ok(listing);
      }
      if (!entry) throw notFound(ctx, `${path} does not exist at ${ref}`);
      const item = contentItemJson(entry, ref);
      if (entry.type === 'commit') return ok({ ...item, submodule_git_url: `https://github.com/${options.owner}/submodule.git` });
      const data = (await findReader((r) => r.readBlob(entry.sha))) ?? Buffer.alloc(0);
      if (entry.mode === '120000') return ok({ ...item, target: data.toString('utf8') });
      if (rawMedia) {
        if (data.length > BLOB_LIMIT) throw ghError(403, 'This API returns blobs up to 100 MB in size.', ctx.op.docsUrl);
        // GitHub answers raw content as text/plain (Octokit then gives a string, mangling binary files, as with the real service).
        return { status: 200, raw: { data, contentType: 'text/plain; charset=utf-8' } };
      }
      if (data.length > CONTENTS_LIMIT) {
        if (objectMedia) return { status: 200, json: { ...item, content: '', encoding: 'none' }, mediaType: OBJECT_MEDIA };
        throw ghError(
          403,
          'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.',
          ctx.op.docsUrl,
          { errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }] },
          `${path} is ${data.length} bytes`,
        );
      }
      const file = { ...item, content: base64Wrapped(data), encoding: 'base64' };
      return objectMedia ? { status: 200, json: file, mediaType: OBJECT_MEDIA } : ok(file);
    },

    'git/get-blob': async (ctx) => {
      const sha = String(ctx.op.params.file_sha);
      if (!/^[0-9a-f]{40}$/.test(sha)) throw ghError(422, 'The sha parameter must be exactly 40 characters and contain only [0-9a-f].', ctx.op.docsUrl);
      const data = await findReader((r) => r.readBlob(sha));
      if (!data) throw notFound(ctx, `no blob ${sha}`);
      if (data.length > BLOB_LIMIT) throw ghError(403, 'This API returns blobs up to 100 MB in size.', ctx.op.docsUrl);
      return ok({ sha, node_id: nodeId('B', numericId(sha)), size: data.length, url: `${apiRepo()}/git/blobs/${sha}`, content: base64Wrapped(data), encoding: 'base64' });
    },

    'git/get-tree': async (ctx) => {
      const treeish = String(ctx.op.params.tree_sha);
      // GitHub enables recursion for any value of `recursive`.
      const recursive = ctx.query.has('recursive');
      const tree = await findReader((r) => r.listTree(treeish, recursive));
      if (!tree) throw notFound(ctx, `no tree ${treeish}`);
      const truncated = tree.entries.length > TREE_LIMIT;
      return ok({
        sha: tree.sha,
        url: `${apiRepo()}/git/trees/${tree.sha}`,
        tree: tree.entries.slice(0, TREE_LIMIT).map((e) => ({
          path: e.path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.size !== undefined ? { size: e.size } : {}),
          ...(e.type === 'commit' ? {} : { url: `${apiRepo()}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}` }),
        })),
        truncated,
      });
    },

    'users/get-authenticated': (ctx) => {
      if (identity === 'app') throw ghError(403, 'Resource not accessible by integration', ctx.op.docsUrl);
      return ok({
        ...userJson(actor),
        user_view_type: 'private',
        name: actor.name ?? null,
        company: null,
        blog: '',
        location: null,
        email: null,
        notification_email: null,
        hireable: null,
        bio: null,
        twitter_username: null,
        public_repos: 1,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: '2020-01-01T00:00:00Z',
        updated_at: '2024-01-01T00:00:00Z',
        private_gists: 0,
        total_private_repos: 0,
        owned_private_repos: 0,
        disk_usage: 0,
        collaborators: 0,
        two_factor_authentication: true,
        plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
      });
    },

    'pulls/list-review-comments': (ctx) => {
      let comments = visibleComments();
      const since = ctx.query.get('since');
      if (since) comments = comments.filter((c) => c.updatedAt >= since);
      if (ctx.query.get('sort') === 'updated') comments = [...comments].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id);
      if (ctx.query.get('direction') === 'desc') comments = [...comments].reverse();
      return ok(paginate(ctx, comments).map(commentJson));
    },

    'pulls/get-review-comment': (ctx) => {
      const comment = visibleComments().find((c) => c.id === ctx.params.comment_id);
      if (!comment) throw notFound(ctx);
      return ok(commentJson(comment));
    },

    'pulls/update-review-comment': (ctx) => {
      const comment = visibleComments().find((c) => c.id === ctx.params.comment_id);
      if (!comment) throw notFound(ctx, `no review comment ${String(ctx.params.comment_id)}`);
      mustBeAuthor(comment.user, ctx.op.docsUrl);
      comment.body = checkBody(ctx.body.body, ctx.op.docsUrl);
      comment.updatedAt = timestamp();
      return ok(commentJson(comment));
    },

    'pulls/delete-review-comment': (ctx) => {
      const comment = visibleComments().find((c) => c.id === ctx.params.comment_id);
      if (!comment) throw notFound(ctx);
      mustBeAuthor(comment.user, ctx.op.docsUrl);
      state.reviewComments.splice(state.reviewComments.indexOf(comment), 1);
      return { status: 204 };
    },

    'pulls/create-review-comment': (ctx) => {
      const docs = ctx.op.docsUrl;
      const body = checkBody(ctx.body.body, docs);
      if (ctx.body.in_reply_to !== undefined) return ok(commentJson(replyTo(ctx.body.in_reply_to as number, body, actor, docs)), 201);
      if (ctx.body.subject_type === 'file') throw ghError(422, 'Validation Failed', docs, { errors: [{ resource: 'PullRequestReviewComment', code: 'custom', message: 'File-level comments are not simulated.' }] });
      const commitId = String(ctx.body.commit_id);
      if (!state.heads.includes(commitId)) {
        throw ghError(422, 'Validation Failed', docs, {
          errors: [{ resource: 'PullRequestReviewComment', code: 'custom', field: 'commit_id', message: 'commit_id is not part of the pull request' }],
        });
      }
      let resolved: ResolvedComment;
      try {
        resolved = resolveComment(ctx.body, 0, docs);
      } catch (error) {
        if (!(error instanceof HttpError) || typeof error.body === 'string') throw error;
        const message = Array.isArray(error.body.errors) ? String(error.body.errors[0]) : String(error.body.message);
        throw ghError(422, 'Validation Failed', docs, {
          errors: [{ resource: 'PullRequestReviewComment', code: 'custom', field: 'pull_request_review_thread.line', message }],
        }, error.detail);
      }
      const review = newReview(actor, '', 'COMMENTED', commitId);
      return ok(commentJson(addCommentRecord(review, resolved, body, actor)), 201);
    },

    'pulls/create-reply-for-review-comment': (ctx) => {
      const body = checkBody(ctx.body.body, ctx.op.docsUrl);
      return ok(commentJson(replyTo(ctx.params.comment_id as number, body, actor, ctx.op.docsUrl)), 201);
    },

    'pulls/list-reviews': (ctx) => ok(paginate(ctx, visibleReviews()).map(reviewJson)),

    'pulls/get-review': (ctx) => {
      const review = visibleReviews().find((r) => r.id === ctx.params.review_id);
      if (!review) throw notFound(ctx);
      return ok(reviewJson(review));
    },

    'pulls/update-review': (ctx) => {
      const review = visibleReviews().find((r) => r.id === ctx.params.review_id);
      if (!review) throw notFound(ctx);
      mustBeAuthor(review.user, ctx.op.docsUrl);
      review.body = checkBody(ctx.body.body, ctx.op.docsUrl);
      return ok(reviewJson(review));
    },

    'pulls/list-comments-for-review': (ctx) => {
      const review = visibleReviews().find((r) => r.id === ctx.params.review_id);
      if (!review) throw notFound(ctx);
      const comments = state.reviewComments.filter((c) => c.reviewId === review.id);
      return ok(paginate(ctx, comments).map(commentJson));
    },

    'pulls/create-review': (ctx) => {
      const docs = ctx.op.docsUrl;
      const b = ctx.body;
      const event = b.event as 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT' | undefined;
      const body = typeof b.body === 'string' ? b.body : '';
      const comments = (b.comments as Record<string, unknown>[] | undefined) ?? [];
      const commitId = b.commit_id as string | undefined; // a string: the body was validated against the schema
      if (commitId !== undefined && commitId !== state.headSha) {
        if (state.heads.includes(commitId)) {
          throw unprocessable(['Commit is not the head of the pull request'], docs, `commit_id ${commitId} is an outdated head; the head is ${state.headSha}`);
        }
        throw unprocessable(['Commit could not be resolved'], docs, `commit_id ${commitId} is not a commit of the pull request (head ${state.headSha})`);
      }
      if (codePoints(body) > MAX_BODY) throw unprocessable([`Body is too long (maximum is ${MAX_BODY} characters)`], docs);
      if (event === 'APPROVE') {
        if (identity === 'app' && !options.actionsCanApprove) throw unprocessable(['GitHub Actions is not permitted to approve pull requests.'], docs);
        if (actor.login === prAuthor.login) throw unprocessable(['Can not approve your own pull request'], docs);
      }
      if (event === 'REQUEST_CHANGES' && actor.login === prAuthor.login) throw unprocessable(['Can not request changes on your own pull request'], docs);
      if ((event === 'COMMENT' || event === 'REQUEST_CHANGES') && body.trim() === '' && comments.length === 0) {
        throw unprocessable([`Review Can not ${event === 'COMMENT' ? 'comment' : 'request changes'} without a body or comments`], docs);
      }
      if (event === undefined && state.reviews.some((r) => r.state === 'PENDING' && r.user.login === actor.login)) {
        throw unprocessable(['User can only have one pending review per pull request'], docs);
      }
      // Every comment must resolve, or nothing is created.
      const resolved = comments.map((c, i) => {
        const text = c.body;
        if (typeof text !== 'string' || text.trim() === '') throw unprocessable(["Body can't be blank"], docs, `comments[${i}]: blank body`);
        if (codePoints(text) > MAX_BODY) throw unprocessable([`Body is too long (maximum is ${MAX_BODY} characters)`], docs, `comments[${i}]: body too long`);
        return resolveComment(c, i, docs);
      });
      const reviewState: ReviewState =
        event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : event === 'COMMENT' ? 'COMMENTED' : 'PENDING';
      const review = newReview(actor, body, reviewState, state.headSha);
      resolved.forEach((r, i) => addCommentRecord(review, r, String(comments[i]?.body), actor));
      return ok(reviewJson(review));
    },

    'pulls/submit-review': (ctx) => {
      const review = state.reviews.find((r) => r.id === ctx.params.review_id && r.user.login === actor.login);
      if (!review) throw notFound(ctx);
      if (review.state !== 'PENDING') throw unprocessable(['Can not submit a non-pending review'], ctx.op.docsUrl);
      const event = ctx.body.event as string;
      if (typeof ctx.body.body === 'string') review.body = ctx.body.body;
      if (event === 'APPROVE' && identity === 'app' && !options.actionsCanApprove) throw unprocessable(['GitHub Actions is not permitted to approve pull requests.'], ctx.op.docsUrl);
      review.state = event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
      review.submittedAt = timestamp();
      return ok(reviewJson(review));
    },

    'checks/create': (ctx) => {
      const docs = ctx.op.docsUrl;
      if (identity !== 'app') throw ghError(403, 'You must authenticate via a GitHub App.', docs);
      const b = ctx.body;
      const headSha = String(b.head_sha);
      if (!state.heads.includes(headSha)) {
        throw ghError(422, `No commit found for SHA: ${headSha}`, docs, {}, `head_sha must be a head of the pull request (current ${state.headSha})`);
      }
      const output = b.output as Record<string, unknown> | undefined;
      checkOutput(output, docs);
      const annotations = validateAnnotations(output?.annotations, docs);
      if (b.conclusion === 'stale') throw ghError(422, 'Invalid request.', docs, { errors: ['Only GitHub can set the conclusion "stale".'] });
      let status = (b.status as string | undefined) ?? 'queued';
      if (b.conclusion !== undefined) status = 'completed';
      if (status === 'completed' && b.conclusion === undefined) {
        throw ghError(422, 'Invalid request.', docs, { errors: ['conclusion is required when status is completed.'] });
      }
      const id = newId();
      const at = timestamp();
      const run: CheckRunRecord = {
        id,
        nodeId: nodeId('CR', id),
        name: String(b.name),
        headSha,
        status,
        conclusion: (b.conclusion as string | undefined) ?? null,
        startedAt: (b.started_at as string | undefined) ?? at,
        completedAt: status === 'completed' ? ((b.completed_at as string | undefined) ?? at) : null,
        externalId: (b.external_id as string | undefined) ?? '',
        detailsUrl: (b.details_url as string | undefined) ?? null,
        output: {
          title: (output?.title as string | undefined) ?? null,
          summary: (output?.summary as string | undefined) ?? null,
          text: (output?.text as string | undefined) ?? null,
        },
        annotations,
        annotationBatches: annotations.length > 0 ? [annotations.length] : [],
      };
      state.checkRuns.push(run);
      return ok(checkRunJson(run), 201);
    },

    'checks/update': (ctx) => {
      const docs = ctx.op.docsUrl;
      if (identity !== 'app') throw ghError(403, 'You must authenticate via a GitHub App.', docs);
      const run = state.checkRuns.find((r) => r.id === ctx.params.check_run_id);
      if (!run) throw notFound(ctx);
      const b = ctx.body;
      const output = b.output as Record<string, unknown> | undefined;
      checkOutput(output, docs);
      const annotations = validateAnnotations(output?.annotations, docs);
      if (b.conclusion === 'stale') throw ghError(422, 'Invalid request.', docs, { errors: ['Only GitHub can set the conclusion "stale".'] });
      if (typeof b.name === 'string') run.name = b.name;
      if (typeof b.details_url === 'string') run.detailsUrl = b.details_url;
      if (typeof b.external_id === 'string') run.externalId = b.external_id;
      if (typeof b.status === 'string') run.status = b.status;
      if (typeof b.conclusion === 'string') {
        run.conclusion = b.conclusion;
        run.status = 'completed';
      }
      if (run.status === 'completed') {
        if (run.conclusion === null) throw ghError(422, 'Invalid request.', docs, { errors: ['conclusion is required when status is completed.'] });
        run.completedAt = (b.completed_at as string | undefined) ?? run.completedAt ?? timestamp();
      }
      if (output) {
        if (typeof output.title === 'string') run.output.title = output.title;
        if (typeof output.summary === 'string') run.output.summary = output.summary;
        if (typeof output.text === 'string') run.output.text = output.text;
      }
      if (annotations.length > 0) {
        run.annotations.push(...annotations);
        run.annotationBatches.push(annotations.length);
      }
      return ok(checkRunJson(run));
    },

    'checks/get': (ctx) => {
      const run = state.checkRuns.find((r) => r.id === ctx.params.check_run_id);
      if (!run) throw notFound(ctx);
      return ok(checkRunJson(run));
    },

    'checks/list-annotations': (ctx) => {
      const run = state.checkRuns.find((r) => r.id === ctx.params.check_run_id);
      if (!run) throw notFound(ctx);
      return ok(paginate(ctx, run.annotations).map((a) => annotationJson(run, a)));
    },

    'checks/list-for-ref': async (ctx) => {
      const ref = String(ctx.op.params.ref);
      const commit = await findReader((r) => r.resolveCommit(ref));
      if (!commit) throw ghError(422, `No commit found for SHA: ${ref}`, ctx.op.docsUrl);
      let runs = state.checkRuns.filter((r) => r.headSha === commit);
      const name = ctx.query.get('check_name');
      if (name) runs = runs.filter((r) => r.name === name);
      const status = ctx.query.get('status');
      if (status) runs = runs.filter((r) => r.status === status);
      if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
        const latest = new Map<string, CheckRunRecord>();
        for (const run of runs) latest.set(run.name, run);
        runs = runs.filter((r) => latest.get(r.name) === r);
      }
      runs = [...runs].reverse();
      return ok({ total_count: runs.length, check_runs: paginate(ctx, runs).map(checkRunJson) });
    },

    'issues/list-comments': (ctx) => {
      let comments = state.issueComments;
      const since = ctx.query.get('since');
      if (since) comments = comments.filter((c) => c.updatedAt >= since);
      return ok(paginate(ctx, comments).map(issueCommentJson));
    },

    'issues/create-comment': (ctx) => {
      const body = checkBody(ctx.body.body, ctx.op.docsUrl);
      const id = newId();
      const at = timestamp();
      const record: IssueCommentRecord = { id, nodeId: nodeId('IC', id), user: actor, body, createdAt: at, updatedAt: at };
      state.issueComments.push(record);
      return ok(issueCommentJson(record), 201);
    },

    'issues/get-comment': (ctx) => {
      const comment = state.issueComments.find((c) => c.id === ctx.params.comment_id);
      if (!comment) throw notFound(ctx);
      return ok(issueCommentJson(comment));
    },

    'issues/update-comment': (ctx) => {
      const comment = state.issueComments.find((c) => c.id === ctx.params.comment_id);
      if (!comment) throw notFound(ctx);
      mustBeAuthor(comment.user, ctx.op.docsUrl);
      comment.body = checkBody(ctx.body.body, ctx.op.docsUrl);
      comment.updatedAt = timestamp();
      return ok(issueCommentJson(comment));
    },

    'issues/delete-comment': (ctx) => {
      const comment = state.issueComments.find((c) => c.id === ctx.params.comment_id);
      if (!comment) throw notFound(ctx);
      mustBeAuthor(comment.user, ctx.op.docsUrl);
      state.issueComments.splice(state.issueComments.indexOf(comment), 1);
      return { status: 204 };
    },
  };

  // ---------------------------------------------------------------------------------------------------------- dispatch
  const violation = (kind: ViolationKind, record: RecordedRequest, messages: string[]): void => {
    violations.push({ kind, method: record.method, path: record.path, operationId: record.operationId, messages });
  };

  const takeFailure = (op: MatchedOperation, method: string, query: URLSearchParams): FailureRule | undefined => {
    const rule = failures.find(
      (r) =>
        r.left > 0 &&
        (r.route === op.operationId || r.route === op.template) &&
        (!r.method || r.method.toUpperCase() === method) &&
        Object.entries(r.query ?? {}).every(([name, value]) => query.get(name) === value),
    );
    if (rule) rule.left--;
    return rule;
  };

  const commonHeaders = (): Record<string, string> => {
    const limit = Number.isFinite(rateLimit) ? rateLimit : 5000;
    return {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - rateUsed)),
      'x-ratelimit-reset': String(rateReset),
      'x-ratelimit-used': String(Math.min(rateUsed, limit)),
      'x-ratelimit-resource': 'core',
    };
  };

  const send = (res: ServerResponse, record: RecordedRequest, reply: Reply, headers: Record<string, string>): void => {
    record.status = reply.status;
    const all: Record<string, string> = { ...commonHeaders(), ...headers };
    if (reply.raw) {
      const data = typeof reply.raw.data === 'string' ? Buffer.from(reply.raw.data, 'utf8') : reply.raw.data;
      res.writeHead(reply.status, { ...all, 'content-type': reply.raw.contentType, 'content-length': String(data.length) });
      res.end(data);
      return;
    }
    if (reply.status === 204 || reply.json === undefined) {
      res.writeHead(reply.status, all);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, {
      ...all,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      headers: { accept: req.headers.accept, contentType: req.headers['content-type'], userAgent: req.headers['user-agent'] },
    };
    requests.push(record);
    const extraHeaders: Record<string, string> = {};
    let op: MatchedOperation | undefined;
    try {
      // 1. Credentials.
      const auth = req.headers.authorization ?? '';
      const match = /^(?:token|bearer)\s+(\S+)$/i.exec(auth.trim());
      if (match?.[1] !== options.token) {
        throw new HttpError(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }, auth ? 'wrong token' : 'no Authorization header');
      }
      if (rateUsed >= rateLimit) {
        throw new HttpError(
          403,
          {
            message: `API rate limit exceeded for ${identity === 'app' ? 'installation ID 1' : `user ID ${actor.id}`}. If you reach out to GitHub Support for help, please include the request ID.`,
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: '403',
          },
          `${rateUsed} requests this hour (limit ${rateLimit})`,
        );
      }
      rateUsed++;
      // 2. Body: JSON only.
      let body: unknown;
      if (raw.length > 0 && isWrite(method)) {
        const type = req.headers['content-type'] ?? '';
        if (type !== '' && !/^application\/([\w.-]+\+)?json\b/i.test(type)) {
          const error = new HttpError(415, { message: `Unsupported 'Content-Type' header: ${type}`, documentation_url: 'https://docs.github.com/rest', status: '415' });
          violation('unsupported-media-type', record, [`content-type ${type} is not JSON`]);
          throw error;
        }
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          violation('malformed-json', record, ['the request body is not valid JSON']);
          throw new HttpError(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' });
        }
      }
      record.body = body;
      // 3. Route and schema.
      const validation = validateRequest({ method, path: url.pathname, query: url.searchParams, body });
      op = validation.operation;
      if (!op) {
        violation('unknown-route', record, validation.errors);
        throw new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }, validation.errors.join('; '));
      }
      record.operationId = op.operationId;
      record.template = op.template;
      if (op.params.owner !== undefined) {
        const sameRepo =
          op.params.owner.toLowerCase() === options.owner.toLowerCase() && (op.params.repo ?? '').toLowerCase() === options.repo.toLowerCase();
        const number = op.params.pull_number ?? op.params.issue_number;
        if (!sameRepo || (number !== undefined && number !== String(options.pullNumber))) {
          const message = `${op.params.owner}/${op.params.repo ?? ''}${number !== undefined ? `#${number}` : ''} is not the simulated ${options.owner}/${options.repo}#${options.pullNumber}`;
          violation('unknown-resource', record, [message]);
          throw ghError(404, 'Not Found', op.docsUrl, {}, message);
        }
      }
      if (validation.errors.length > 0) {
        violation('invalid-request', record, validation.errors);
        throw ghError(422, 'Invalid request.', op.docsUrl, { errors: validation.errors }, validation.errors.join('; '));
      }
      // 4. Injected failures.
      const failure = takeFailure(op, method, url.searchParams);
      if (failure) record.injected = failure.kind ?? 'error';
      if (failure?.kind === 'drop') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (failure?.kind === 'secondary-rate-limit') {
        throw new HttpError(
          failure.status ?? 403,
          {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
            documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            status: '403',
          },
          'injected secondary rate limit',
          failure.retryAfter === null ? {} : { 'retry-after': String(failure.retryAfter ?? 1) },
        );
      }
      if (failure?.kind === 'primary-rate-limit') {
        const reset = Math.floor(now().getTime() / 1000) + (failure.retryAfter ?? 1);
        throw new HttpError(
          failure.status ?? 403,
          {
            message: 'API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: '403',
          },
          'injected primary rate limit',
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-used': '5000' },
        );
      }
      if (failure && (failure.kind ?? 'error') === 'error') throw injectedError(failure.status ?? 500);
      // 5. Permissions and content-creation limits.
      if (isWrite(method) && options.readOnly) {
        throw ghError(403, 'Resource not accessible by integration', op.docsUrl, {}, 'read-only token (fork pull request)');
      }
      if (isWrite(method) && limits) {
        const t = now().getTime();
        while (writes.length > 0 && (writes[0] ?? 0) < t - 3_600_000) writes.shift();
        const lastMinute = writes.filter((w) => w >= t - 60_000).length;
        if (lastMinute >= limits.perMinute || writes.length >= limits.perHour) {
          throw new HttpError(
            403,
            {
              message: 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. If you reach out to GitHub Support for help, please include the request ID.',
              documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
              status: '403',
            },
            `${lastMinute} writes in the last minute, ${writes.length} in the last hour`,
            { 'retry-after': '60' },
          );
        }
        writes.push(t);
      }
      // 6. The operation.
      const handler = handlers[op.operationId];
      if (!handler) {
        violation('unimplemented', record, [`the simulator does not implement ${op.operationId} (${method} ${op.template})`]);
        throw ghError(404, 'Not Found', op.docsUrl, {}, 'not simulated');
      }
      const ctx: RequestContext = {
        method,
        path: url.pathname,
        query: url.searchParams,
        body: (body ?? {}) as Record<string, unknown>,
        op,
        params: validation.params,
        accept: req.headers.accept ?? '',
        record,
        headers: extraHeaders,
      };
      const reply = await handler(ctx);
      if (failure?.kind === 'apply-then-error') throw injectedError(failure.status ?? 502);
      if (options.validateResponses && reply.json !== undefined && reply.status < 300) {
        const errors = validateResponse(method, url.pathname, reply.status, reply.json, reply.mediaType);
        if (errors.length > 0) {
          responseViolations.push({ kind: 'invalid-response', method, path: url.pathname, operationId: op.operationId, messages: errors });
        }
      }
      send(res, record, reply, extraHeaders);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.detail) record.detail = error.detail;
        if (typeof error.body === 'string') {
          send(res, record, { status: error.status, raw: { data: error.body, contentType: 'text/html; charset=utf-8' } }, error.headers);
        } else {
          send(res, record, { status: error.status, json: error.body }, { ...extraHeaders, ...error.headers });
        }
        return;
      }
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      record.detail = message;
      violations.push({ kind: 'simulator-error', method, path: url.pathname, operationId: op?.operationId, messages: [message] });
      send(res, record, { status: 500, json: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest', status: '500' } }, {});
    }
  };

  const injectedError = (status: number): HttpError => {
    if (status === 502) {
      return new HttpError(502, '<!DOCTYPE html>\n<html><head><title>Unicorn! &middot; GitHub</title></head><body>We had issues producing the response to your request.</body></html>\n', 'injected 502');
    }
    const messages: Record<number, string> = { 403: 'Resource not accessible by integration', 500: 'Server Error', 503: 'Service Unavailable', 504: 'We couldn\'t respond to your request in time.' };
    return new HttpError(status, { message: messages[status] ?? 'Server Error', documentation_url: 'https://docs.github.com/rest', status: String(status) }, `injected ${status}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const humanUser = (login: string): SimUser => ({ login, id: numericId(`user:${login}`), type: 'User' });

  return {
    url: baseUrl,
    requests,
    violations,
    responseViolations,
    state,
    actor,
    failNext(rule) {
      failures.push({ ...rule, left: rule.times ?? 1 });
    },
    addReply(commentId, body, login = 'octocat') {
      if (!state.reviewComments.some((c) => c.id === commentId)) throw new Error(`addReply: no review comment ${commentId}`);
      return replyTo(commentId, body, humanUser(login), 'https://docs.github.com/rest');
    },
    addReviewComment(input) {
      const user = humanUser(input.login ?? 'octocat');
      let resolved: ResolvedComment;
      try {
        resolved = resolveComment(
          { path: input.path, line: input.line, side: input.side, start_line: input.startLine, body: input.body },
          0,
          'https://docs.github.com/rest',
        );
      } catch (error) {
        throw new Error(`addReviewComment: GitHub would refuse this comment: ${error instanceof HttpError ? error.detail : String(error)}`, { cause: error });
      }
      const review = newReview(user, '', 'COMMENTED', state.headSha);
      return addCommentRecord(review, resolved, input.body, user);
    },
    push(fixture) {
      if (!readers.includes(fixture.git)) readers.unshift(fixture.git);
      state.fixture = fixture;
      state.baseSha = fixture.baseSha;
      state.headSha = fixture.headSha;
      if (!state.heads.includes(fixture.headSha)) state.heads.push(fixture.headSha);
      state.files = fixture.files;
      // Comments follow their line when the same line, with the same text, is still in the diff; otherwise they become outdated.
      for (const comment of state.reviewComments) {
        if (comment.line === null) continue;
        const file = state.files.find((f) => f.filename === comment.path);
        const patch = file ? parsedPatch(file) : undefined;
        const target = patch ? (comment.side === 'RIGHT' ? patch.right : patch.left).get(comment.line) : undefined;
        if (target?.text === comment.lineText) {
          comment.position = target.position;
          comment.commitId = fixture.headSha;
        } else {
          comment.line = null;
          comment.position = null;
        }
      }
    },
    requestsFor(route, method) {
      return requests.filter((r) => (r.operationId === route || r.template === route) && (!method || r.method === method.toUpperCase()));
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
