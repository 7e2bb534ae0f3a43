/**
 * A file a product refers to (an external product's `openapi: ./specs/x.yaml`), as the loader
 * read it: once, before validation, so that validation, the provider's rules and the desired
 * objects all see the same text, and nothing after the loader reads the disk. A file that could
 * not be used says why, in words for the user; which rule reports it is the reader's choice.
 */
export type ReferencedFile =
  | { status: 'read'; text: string; value: unknown }
  | { status: ReferenceProblem; problem: string; fix: string };

/** `outside-project`: the path may not be read at all (it was not tried); the others: it was tried. */
export type ReferenceProblem = 'outside-project' | 'missing' | 'unreadable' | 'invalid';
