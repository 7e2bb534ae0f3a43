import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface FakeRun {
  id: number;
  head_sha: string;
  event: string;
  status: 'completed' | 'in_progress';
  conclusion: string | null;
  /** The repository whose code ran (a fork's for a fork's pull request); default: this one. */
  head_repository?: { full_name: string };
}
export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  expired: boolean;
}
export interface FakePull {
  number: number;
  head: { sha: string };
  merge_commit_sha: string | null;
  merged_at: string | null;
  labels: { name: string }[];
}

type Send = (status: number, data: unknown, headers?: Record<string, string>) => void;
type Page = (url: URL, items: unknown[], send: Send) => void;

/**
 * GitHub's Actions and pull-request endpoints `github apply` reads: workflow runs filtered by
 * head_sha/event/status, a run's artifacts filtered by name, pull requests and the pull requests
 * of a commit. An artifact download answers 302 to a one-time URL on a second server (another
 * origin, as GitHub's blob storage is), which refuses any request that carries an Authorization
 * header: a client that forwarded the GitHub token there would leak it to another host.
 */
export class FakeActions {
  readonly runs: FakeRun[] = [];
  readonly artifacts: FakeArtifact[] = [];
  readonly pulls: FakePull[] = [];
  /** Environments by name: their `protection_rules`, as GitHub returns them. */
  readonly environments = new Map<string, { type: string; reviewers?: unknown[] }[]>();
  /** Requests the blob host saw, with whether they carried an Authorization header. */
  readonly blobRequests: { path: string; authorization: boolean }[] = [];
  private nextId = 5000;
  private blob?: Server;
  private blobUrl = '';
  private readonly links = new Map<string, Buffer>();

  /** Forgets every run, artifact, pull request, environment and blob request: a fresh repository. */
  reset(): void {
    this.runs.length = 0;
    this.artifacts.length = 0;
    this.pulls.length = 0;
    this.blobRequests.length = 0;
    this.environments.clear();
  }

  async start(): Promise<void> {
    this.blob = createServer((req, res) => {
      const path = req.url ?? '/';
      this.blobRequests.push({ path, authorization: req.headers.authorization !== undefined });
      const zip = this.links.get(path);
      if (req.headers.authorization !== undefined) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return res.end('Authorization header not allowed with a signed URL');
      }
      if (!zip) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('expired link');
      }
      this.links.delete(path);
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(zip.length) });
      res.end(zip);
    });
    await new Promise<void>((done) => this.blob!.listen(0, '127.0.0.1', done));
    this.blobUrl = `http://127.0.0.1:${(this.blob.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((done) => (this.blob ? this.blob.close(() => done()) : done()));
  }

  addRun(fields: Partial<FakeRun> & { head_sha: string }): FakeRun {
    const run: FakeRun = { id: this.nextId++, event: 'pull_request', status: 'completed', conclusion: 'success', ...fields };
    this.runs.push(run);
    return run;
  }

  addArtifact(runId: number, name: string, zip: Buffer, expired = false): FakeArtifact {
    const artifact = { id: this.nextId++, runId, name, zip, expired };
    this.artifacts.push(artifact);
    return artifact;
  }

  addPull(fields: Partial<FakePull> & { number: number; head: { sha: string } }): FakePull {
    const pull: FakePull = { merge_commit_sha: null, merged_at: null, labels: [], ...fields };
    this.pulls.push(pull);
    return pull;
  }

  /** Answers `rest` (the path after /repos/owner/repo) when it is one of these endpoints. */
  handle(rest: string, method: string, url: URL, send: Send, page: Page, htmlBase: string, fullName: string): boolean {
    if (method !== 'GET') return false;
    let match: RegExpMatchArray | null;
    if (rest === '/actions/runs') {
      const q = url.searchParams;
      const runs = this.runs.filter((r) => (!q.get('head_sha') || r.head_sha === q.get('head_sha')) && (!q.get('event') || r.event === q.get('event')) && (!q.get('status') || r.status === q.get('status')));
      // GitHub wraps the list: { total_count, workflow_runs }; Octokit's paginate unwraps it.
      const items = runs.map((r) => ({ head_repository: { full_name: fullName }, ...r, html_url: `${htmlBase}/actions/runs/${r.id}` }));
      page(url, items, (status, data, headers) => send(status, { total_count: runs.length, workflow_runs: data }, headers));
      return true;
    }
    if ((match = rest.match(/^\/actions\/runs\/(\d+)\/artifacts$/))) {
      const name = url.searchParams.get('name');
      const list = this.artifacts.filter((a) => a.runId === Number(match![1]) && (!name || a.name === name));
      const items = list.map((a) => ({ id: a.id, name: a.name, size_in_bytes: a.zip.length, expired: a.expired, workflow_run: { id: a.runId } }));
      page(url, items, (status, data, headers) => send(status, { total_count: list.length, artifacts: data }, headers));
      return true;
    }
    if ((match = rest.match(/^\/actions\/artifacts\/(\d+)\/zip$/))) {
      const artifact = this.artifacts.find((a) => a.id === Number(match![1]));
      if (!artifact || artifact.expired) send(artifact ? 410 : 404, { message: artifact ? 'Artifact has expired' : 'Not Found' });
      else {
        const path = `/blob/${randomUUID()}.zip?sig=signed`;
        this.links.set(path, artifact.zip);
        send(302, { message: 'Found' }, { location: this.blobUrl + path });
      }
      return true;
    }
    if ((match = rest.match(/^\/pulls\/(\d+)$/))) {
      const pull = this.pulls.find((p) => p.number === Number(match![1]));
      send(pull ? 200 : 404, pull ?? { message: 'Not Found' });
      return true;
    }
    if ((match = rest.match(/^\/environments\/([^/]+)$/))) {
      const rules = this.environments.get(decodeURIComponent(match[1]!));
      send(rules ? 200 : 404, rules ? { name: match[1], protection_rules: rules } : { message: 'Not Found' });
      return true;
    }
    if ((match = rest.match(/^\/commits\/([0-9a-f]{40})\/pulls$/))) {
      const sha = match[1];
      page(url, this.pulls.filter((p) => p.merge_commit_sha === sha || p.head.sha === sha), send);
      return true;
    }
    return false;
  }
}
