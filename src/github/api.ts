import { ExternalServiceError, httpStatusOf } from '../errors.js';
import type { ChangedFile } from '../types.js';
import type { ReviewOctokit } from './client.js';

/** GitHub lists at most 3000 files of a pull request. */
export const GITHUB_FILE_CAP = 3000;

export interface ReviewComment {
  id: number;
  body: string;
  path: string;
  line: number | null;
  userLogin: string | undefined;
  inReplyToId?: number;
  pullRequestReviewId: number | null;
}

export interface ReviewCommentInput {
  path: string;
  body: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only when `start_line === end_line`: GitHub rejects columns on multi-line annotations. */
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckRunAnnotation[];
}

export interface CheckRunListing {
  id: number;
  externalId?: string;
  appSlug?: string;
  text?: string;
}

export interface TreeEntry {
  path: string;
  sha: string;
  type: 'blob' | 'tree' | 'commit';
  size?: number;
}

/**
 * The part of GitHub's REST API this action uses for one pull request. Stages receive it as a parameter; tests may pass partial
 * stubs, and the end-to-end tests a real Octokit against the simulator.
 */
export interface PullRequestApi {
  listFiles(): Promise<{ files: ChangedFile[]; truncated: boolean }>;
  /** File text at a ref, or undefined when the file does not exist there. */
  readFile(ref: string, path: string): Promise<string | undefined>;
  /** The whole tree at a commit (recursive). */
  listTree(ref: string): Promise<TreeEntry[]>;
  getBlob(sha: string): Promise<Buffer>;
  /** The login of the token's user, or undefined when the token cannot tell (installation tokens answer 403). */
  getAuthenticatedLogin(): Promise<string | undefined>;
  listReviewComments(): Promise<ReviewComment[]>;
  updateReviewComment(commentId: number, body: string): Promise<void>;
  listReviewBodies(): Promise<{ id: number; body: string; userLogin?: string; htmlUrl?: string; commitId?: string }[]>;
  createReview(input: {
    commitId: string;
    body: string;
    event: 'COMMENT' | 'REQUEST_CHANGES';
    comments: ReviewCommentInput[];
  }): Promise<{ id: number; htmlUrl?: string }>;
  /** Not retried by the client: a create that failed may still have happened (see `findCheckRun`). */
  createCheckRun(input: {
    name: string;
    headSha: string;
    status: 'in_progress' | 'completed';
    conclusion?: 'success' | 'failure' | 'neutral';
    output: CheckRunOutput;
    detailsUrl?: string;
    /** Identifies this run's check run, so that a create that failed can be looked up before it is repeated. */
    externalId: string;
  }): Promise<{ id: number; htmlUrl?: string; appSlug?: string }>;
  /** The check run with this name and external id on the commit, if any. */
  findCheckRun(headSha: string, name: string, externalId: string): Promise<{ id: number; appSlug?: string } | undefined>;
  /** The check runs with this name on a commit (all of them, re-runs included), with their app and `output.text`. */
  listCheckRuns(ref: string, name: string): Promise<CheckRunListing[]>;
  /** The pull request's commits, oldest first (GitHub lists at most 250). */
  listCommitShas(): Promise<string[]>;
  /** How many annotations a check run has: tells whether an update that failed was applied. */
  countCheckRunAnnotations(checkRunId: number): Promise<number>;
  updateCheckRun(
    checkRunId: number,
    input: { status?: 'in_progress' | 'completed'; conclusion?: 'success' | 'failure' | 'neutral'; output: CheckRunOutput },
  ): Promise<void>;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

const STATUSES: ReadonlySet<string> = new Set(['added', 'removed', 'modified', 'renamed', 'copied', 'changed', 'unchanged']);

export function createPullRequestApi(octokit: ReviewOctokit, pr: PullRequestRef): PullRequestApi {
  const repoParams = { owner: pr.owner, repo: pr.repo };
  const prParams = { ...repoParams, pull_number: pr.pullNumber };

  return {
    async listFiles() {
      const files: ChangedFile[] = [];
      let truncated = false;
      let pageNumber = 1;
      const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...prParams, per_page: 100 })[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<{ data: Awaited<ReturnType<typeof octokit.rest.pulls.listFiles>>['data'] }>;
        try {
          next = await pages.next();
        } catch (error) {
          throw apiError(`list the pull request's changed files (GET /repos/${pr.owner}/${pr.repo}/pulls/${pr.pullNumber}/files, page ${pageNumber})`, error);
        }
        if (next.done === true) break;
        pageNumber++;
        const page = next.value;
        for (const file of page.data) {
          if (files.length >= GITHUB_FILE_CAP) {
            truncated = true;
            break;
          }
          files.push({
            path: file.filename,
            previousPath: file.previous_filename ?? undefined,
            status: (STATUSES.has(file.status) ? file.status : 'modified'),
            additions: file.additions,
            deletions: file.deletions,
            patch: file.patch ?? undefined,
            blobSha: file.sha ?? undefined,
          });
        }
      }
      // GitHub stops at 3000 files without saying so: a full last page at the cap means the list may be cut.
      if (files.length >= GITHUB_FILE_CAP) truncated = true;
      return { files, truncated };
    },

    async readFile(ref, path) {
      try {
        // The raw media type serves files up to 100 MB; the JSON one refuses files over 1 MB with 403 too_large.
        const response = await octokit.rest.repos.getContent({ ...repoParams, path, ref, mediaType: { format: 'raw' } });
        const data: unknown = response.data;
        if (typeof data === 'string') return data;
        if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
        return undefined; // a folder or a submodule, not a file
      } catch (error) {
        if (httpStatusOf(error) === 404) return undefined;
        throw apiError(`read ${path} at ${ref}`, error);
      }
    },

    async listTree(ref) {
      try {
        const response = await octokit.rest.git.getTree({ ...repoParams, tree_sha: ref, recursive: 'true' });
        return response.data.tree.map((entry) => ({
          path: entry.path,
          sha: entry.sha,
          type: entry.type as TreeEntry['type'],
          size: entry.size,
        }));
      } catch (error) {
        throw apiError(`list the tree at ${ref}`, error);
      }
    },

    async getBlob(sha) {
      try {
        const response = await octokit.rest.git.getBlob({ ...repoParams, file_sha: sha });
        return Buffer.from(response.data.content, response.data.encoding === 'base64' ? 'base64' : 'utf8');
      } catch (error) {
        throw apiError(`read blob ${sha}`, error);
      }
    },

    async getAuthenticatedLogin() {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (error) {
        const status = httpStatusOf(error);
        if (status === 401 || status === 403 || status === 404) return undefined;
        throw apiError('identify the token user', error);
      }
    },

    async listReviewComments() {
      const comments = await octokit
        .paginate(octokit.rest.pulls.listReviewComments, { ...prParams, per_page: 100 })
        .catch((error: unknown) => {
          throw apiError(`list the pull request's review comments (GET /repos/${pr.owner}/${pr.repo}/pulls/${pr.pullNumber}/comments)`, error);
        });
      return comments.map((c) => ({
        id: c.id,
        body: c.body,
        path: c.path,
        line: c.line ?? null,
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- GitHub's current OpenAPI description allows a null `user`; the types @octokit/rest bundles are older
        userLogin: c.user?.login,
        inReplyToId: c.in_reply_to_id ?? undefined,
        pullRequestReviewId: c.pull_request_review_id,
      }));
    },

    async updateReviewComment(commentId, body) {
      await octokit.rest.pulls.updateReviewComment({ ...repoParams, comment_id: commentId, body }).catch((error: unknown) => {
        throw apiError(`update review comment ${commentId} (PATCH /repos/${pr.owner}/${pr.repo}/pulls/comments/${commentId})`, error);
      });
    },

    async listReviewBodies() {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...prParams, per_page: 100 }).catch((error: unknown) => {
        throw apiError(`list the pull request's reviews (GET /repos/${pr.owner}/${pr.repo}/pulls/${pr.pullNumber}/reviews)`, error);
      });
      return reviews.map((r) => ({
        id: r.id,
        body: r.body,
        userLogin: r.user?.login,
        htmlUrl: r.html_url,
        ...(r.commit_id !== null && { commitId: r.commit_id }),
      }));
    },

    async createReview(input) {
      const response = await octokit.rest.pulls.createReview({
        ...prParams,
        commit_id: input.commitId,
        body: input.body,
        event: input.event,
        comments: input.comments,
        // A review POST that timed out may still have been created: never retry it blindly (see publish).
        request: { retries: 0 },
      });
      return { id: response.data.id, htmlUrl: response.data.html_url };
    },

    async createCheckRun(input) {
      const response = await octokit.rest.checks.create({
        ...repoParams,
        name: input.name,
        head_sha: input.headSha,
        status: input.status,
        ...(input.conclusion ? { conclusion: input.conclusion } : {}),
        ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
        external_id: input.externalId,
        output: input.output,
        request: { retries: 0 },
      });
      return { id: response.data.id, htmlUrl: response.data.html_url ?? undefined, appSlug: response.data.app?.slug };
    },

    async findCheckRun(headSha, name, externalId) {
      const found = (await this.listCheckRuns(headSha, name)).find((run) => run.externalId === externalId);
      return found ? { id: found.id, ...(found.appSlug !== undefined && { appSlug: found.appSlug }) } : undefined;
    },

    async listCheckRuns(ref, name) {
      const runs = await octokit
        .paginate(octokit.rest.checks.listForRef, { ...repoParams, ref, check_name: name, filter: 'all', per_page: 100 }, (response) => response.data)
        .catch((error: unknown) => {
          throw apiError(`list the check runs of ${ref} (GET /repos/${pr.owner}/${pr.repo}/commits/${ref}/check-runs)`, error);
        });
      return runs.map((run) => ({
        id: run.id,
        ...(run.external_id && { externalId: run.external_id }),
        ...(run.app?.slug && { appSlug: run.app.slug }),
        ...(run.output.text && { text: run.output.text }),
      }));
    },

    async listCommitShas() {
      const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { ...prParams, per_page: 100 }).catch((error: unknown) => {
        throw apiError(`list the pull request's commits (GET /repos/${pr.owner}/${pr.repo}/pulls/${pr.pullNumber}/commits)`, error);
      });
      return commits.map((commit) => commit.sha);
    },

    async countCheckRunAnnotations(checkRunId) {
      const annotations = await octokit
        .paginate(octokit.rest.checks.listAnnotations, { ...repoParams, check_run_id: checkRunId, per_page: 100 })
        .catch((error: unknown) => {
          throw apiError(`count the annotations of check run ${checkRunId} (GET /repos/${pr.owner}/${pr.repo}/check-runs/${checkRunId}/annotations)`, error);
        });
      return annotations.length;
    },

    async updateCheckRun(checkRunId, input) {
      await octokit.rest.checks.update({
        ...repoParams,
        check_run_id: checkRunId,
        ...(input.status ? { status: input.status } : {}),
        ...(input.conclusion ? { conclusion: input.conclusion } : {}),
        output: input.output,
        // Annotations append: a retried update that had been applied would add them twice (see the publisher).
        request: { retries: 0 },
      });
    },
  };
}

/**
 * An error of an Octokit request that no caller classified, as the external failure it is: the call (method and path) and GitHub's
 * status. Undefined for anything that is not a GitHub answer (those are bugs of this action).
 */
export function asGitHubError(error: unknown): ExternalServiceError | undefined {
  if (error instanceof ExternalServiceError) return error;
  const request = (error as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  const status = httpStatusOf(error);
  if (status === undefined || typeof request?.method !== 'string' || typeof request.url !== 'string') return undefined;
  const path = request.url.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '');
  return apiError(`${request.method} ${path}`, error);
}

function apiError(action: string, error: unknown): ExternalServiceError {
  const status = httpStatusOf(error);
  // GitHub's front end answers some 5xx with an HTML page: its first line is enough.
  const full = error instanceof Error ? error.message : String(error);
  const message = full.length > 300 || full.includes('\n') ? `${full.split('\n')[0]?.slice(0, 300) ?? ''}…` : full;
  return new ExternalServiceError(`GitHub API: could not ${action}${status ? ` (HTTP ${status})` : ''}: ${message}`, 'github', status, {
    cause: error,
  });
}
