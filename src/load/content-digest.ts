import { createHash } from 'node:crypto';

/**
 * Digests of dereferenced OpenAPI content: what a client depends on, without what only a reader
 * does. Documentation keywords (description, summary, title, example(s), externalDocs) and
 * `x-` extensions are left out where they are keywords, kept where they are names (a schema
 * property called `description` is part of the payload).
 *
 * The dereferencer shares one object for every use of a component and makes a recursive schema a
 * cycle (`Node.next` is `Node`), so the digest is a Merkle digest over the object graph: each
 * object once (memoised by identity), a back-edge as its distance up the path. A document is
 * refused past `budget` visits, so a crafted one cannot make the plan walk forever.
 */

const DOCUMENTATION = new Set(['description', 'summary', 'title', 'example', 'examples', 'externalDocs']);
/** Keywords whose value maps names (properties, media types, status codes…) to keyword objects. */
const NAME_MAPS = new Set([
  'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas',
  'content', 'headers', 'encoding', 'links', 'responses', 'callbacks', 'variables', 'mapping',
]);

export class DigestBudgetExceeded extends Error {}

export interface ContentDigester {
  /** Short hex digest of a value's client-relevant content. */
  digest(value: unknown): string;
}

/** One digester per document: its memo is valid for that document's object graph only. */
export function createContentDigester(budget = 2_000_000): ContentDigester {
  const memo = new WeakMap<object, string>();
  const path: object[] = [];
  let visits = 0;

  /** `lowest`: the shallowest ancestor a back-edge below reached (Infinity: none). */
  function visit(value: unknown, names: boolean): { digest: string; lowest: number } {
    if (++visits > budget) throw new DigestBudgetExceeded(`more than ${budget} nodes`);
    if (value === null || typeof value !== 'object') return { digest: hash(`v${JSON.stringify(value) ?? 'undefined'}`), lowest: Infinity };
    const known = memo.get(value);
    if (known !== undefined) return { digest: known, lowest: Infinity };
    const ancestor = path.indexOf(value);
    if (ancestor >= 0) return { digest: hash(`cycle${path.length - ancestor}`), lowest: ancestor };
    const depth = path.length;
    path.push(value);
    let lowest = Infinity;
    const parts: string[] = [];
    if (Array.isArray(value)) {
      for (const item of value) {
        const child = visit(item, false);
        lowest = Math.min(lowest, child.lowest);
        parts.push(child.digest);
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        if (!names && (DOCUMENTATION.has(key) || key.startsWith('x-'))) continue;
        const child = visit(record[key], !names && NAME_MAPS.has(key));
        lowest = Math.min(lowest, child.lowest);
        parts.push(`${JSON.stringify(key)}:${child.digest}`);
      }
    }
    path.pop();
    const digest = hash(`${Array.isArray(value) ? 'a' : names ? 'n' : 'o'}[${parts.join(',')}]`);
    // A subtree whose back-edges leave it depends on where it was reached from: not memoised.
    if (lowest >= depth) memo.set(value, digest);
    return { digest, lowest: lowest >= depth ? Infinity : lowest };
  }

  return { digest: (value) => visit(value, false).digest };
}

function hash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}
