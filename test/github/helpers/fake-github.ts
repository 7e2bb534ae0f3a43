import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeActions } from './fake-actions.ts';

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
}
export interface FakeComment {
  id: number;
  body: string;
  user: FakeUser;
  issue: number;
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  user: FakeUser;
  pull_request?: { url: string };
}
export interface FakeRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: any;
}

export const BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

export interface FakeGithubOptions {
  token: string;
  owner?: string;
  repo?: string;
  /** `GET /user`: a login (a personal token) or undefined (Actions' token: 403, write as BOT). */
  login?: string;
  /** Largest page the server hands out, whatever per_page asks (GitHub: 100). */
  maxPerPage?: number;
  /** Path prefix of the API, e.g. `/api/v3` for GitHub Enterprise Server. */
  prefix?: string;
}

/**
 * A fake of the GitHub REST endpoints apiproducts uses, over real HTTP on 127.0.0.1: issue
 * comments (list with Link paging, create, update), issues (list, create, update) and `GET /user`.
 * Checks `authorization: token …` / `Bearer …`; `failWith` makes every request fail.
 */
export class FakeGithub {
  readonly comments: FakeComment[] = [];
  readonly issues: FakeIssue[] = [];
  readonly requests: FakeRequest[] = [];
  /** Workflow runs, artifacts and pull requests (`github apply`). */
  readonly actions = new FakeActions();
  failWith?: { status: number; message: string };
  url = '';
  private server?: Server;
  private nextId = 1000;
  readonly owner: string;
  readonly repo: string;

  constructor(private readonly options: FakeGithubOptions) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'portal';
  }

  get me(): FakeUser {
    return this.options.login ? { login: this.options.login, type: 'User' } : BOT;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.options.prefix ?? ''}`;
    await this.actions.start();
    return this;
  }

  /** Forgets what earlier tests left (comments, issues, requests, the Actions side) and stops failing. */
  reset(): void {
    this.comments.length = 0;
    this.issues.length = 0;
    this.requests.length = 0;
    this.failWith = undefined;
    this.actions.reset();
  }

  async close(): Promise<void> {
    await new Promise<void>((done) => this.server?.close(() => done()));
    await this.actions.close();
  }

  addComment(issue: number, body: string, user: FakeUser = { login: 'alice', type: 'User' }): FakeComment {
    const comment = { id: this.nextId++, body, user, issue };
    this.comments.push(comment);
    return comment;
  }

  addIssue(fields: Partial<FakeIssue> & { title: string; body: string }): FakeIssue {
    const number = this.issues.length + this.comments.length + 1;
    const issue: FakeIssue = { state: 'open', user: { login: 'alice', type: 'User' }, ...fields, number };
    this.issues.push(issue);
    return issue;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const prefix = this.options.prefix ?? '';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method ?? '', path: path + url.search, authorization: req.headers.authorization, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.options.token}` && auth !== `Bearer ${this.options.token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    if (this.failWith) return send(this.failWith.status, { message: this.failWith.message });
    if (path === '/user' && req.method === 'GET') {
      return this.options.login ? send(200, { login: this.options.login, type: 'User' }) : send(403, { message: 'Resource not accessible by integration' });
    }
    const base = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(base + '/')) return send(404, { message: 'Not Found' });
    const rest = path.slice(base.length);
    let match: RegExpMatchArray | null;
    if ((match = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      const issue = Number(match[1]);
      if (req.method === 'GET') return this.page(url, this.commentsOn(issue).map((c) => this.commentJson(c)), send);
      if (req.method === 'POST') {
        if (typeof body?.body !== 'string') return send(422, { message: 'Validation Failed' });
        if (body.body.length > 65536) return send(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] });
        return send(201, this.commentJson(this.addComment(issue, body.body, this.me)));
      }
    }
    if (this.actions.handle(rest, req.method ?? '', url, send, (u, items, s) => this.page(u, items, s), `https://github.example/${this.owner}/${this.repo}`, `${this.owner}/${this.repo}`)) return;
    if ((match = rest.match(/^\/issues\/comments\/(\d+)$/)) && req.method === 'DELETE') {
      const index = this.comments.findIndex((c) => c.id === Number(match![1]));
      if (index < 0) return send(404, { message: 'Not Found' });
      this.comments.splice(index, 1);
      res.writeHead(204);
      return void res.end();
    }
    if ((match = rest.match(/^\/issues\/comments\/(\d+)$/)) && req.method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(match![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      if (typeof body?.body !== 'string' || body.body.length > 65536) return send(422, { message: 'Validation Failed' });
      comment.body = body.body;
      return send(200, this.commentJson(comment));
    }
    if (rest === '/issues') {
      if (req.method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        const creator = url.searchParams.get('creator');
        const list = this.issues.filter((i) => (state === 'all' || i.state === state) && (!creator || i.user.login === creator));
        return this.page(url, list.map((i) => this.issueJson(i)), send);
      }
      if (req.method === 'POST') {
        if (typeof body?.title !== 'string' || (body.body ?? '').length > 65536) return send(422, { message: 'Validation Failed' });
        const issue = this.addIssue({ title: body.title, body: body.body ?? '', user: this.me });
        return send(201, this.issueJson(issue));
      }
    }
    if ((match = rest.match(/^\/issues\/(\d+)$/)) && req.method === 'PATCH') {
      const issue = this.issues.find((i) => i.number === Number(match![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (typeof body?.body === 'string' && body.body.length > 65536) return send(422, { message: 'Validation Failed' });
      Object.assign(issue, pick(body, ['title', 'body', 'state', 'state_reason']));
      return send(200, this.issueJson(issue));
    }
    return send(404, { message: 'Not Found' });
  }

  /** GitHub's paging: `page`/`per_page`, and a Link header with next/last as absolute URLs. */
  private page(url: URL, items: unknown[], send: (status: number, data: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.options.maxPerPage ?? 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const next = new URL(this.url + url.pathname.slice((this.options.prefix ?? '').length) + url.search);
      next.searchParams.set('page', String(n));
      return `<${next.href}>; rel="${rel}"`;
    };
    const links = [page < last && link(page + 1, 'next'), page < last && link(last, 'last'), page > 1 && link(1, 'first')].filter(Boolean);
    send(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }

  private commentJson(c: FakeComment) {
    return { id: c.id, body: c.body, user: c.user, html_url: `https://github.example/${this.owner}/${this.repo}/pull/${c.issue}#issuecomment-${c.id}` };
  }

  private issueJson(i: FakeIssue) {
    return { ...i, html_url: `https://github.example/${this.owner}/${this.repo}/issues/${i.number}` };
  }
}

function pick(value: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => value && k in value).map((k) => [k, value![k]]));
}
