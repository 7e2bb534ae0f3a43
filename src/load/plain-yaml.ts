import { COLLECTION_STYLE, constructFromEvents, CORE_SCHEMA, EVENT_ID, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { createEventLocator } from './event-locator.ts';
import type { ParsedFile } from './parse-yaml.ts';
import { MAX_NESTING } from './yaml-limits.ts';

/**
 * The fast path of the loader. Nearly every product file is plain data: one document of
 * mappings, lists and scalars, with no anchors, aliases, tags, merge keys or directives. Such a
 * file is read with js-yaml's event parser, about ten times faster than the `yaml` library
 * (10,000 product files: 0.2 s instead of 2 s), and its positions come from the same events, on
 * demand. Anything else returns undefined, and the full parser (parse-yaml.ts) reads the file
 * and explains every problem. So a file either takes this path and means here exactly what the
 * full parser makes of it (test/load/plain-yaml.test.ts checks both on every fixture), or it
 * does not take it.
 */
export function parsePlainYaml(content: string, file: string): ParsedFile | undefined {
  let events: Event[];
  try {
    events = parseEvents(content, { maxDepth: MAX_NESTING });
  } catch {
    return undefined; // a syntax error or nesting too deep: the full parser explains it
  }
  const documents = events.filter((event) => event.type === EVENT_ID.DOCUMENT);
  if (documents.length === 0) return { documents: [], topLevelKeys: [], diagnostics: [] };
  if (documents.length > 1 || !isPlain(events, content)) return undefined;
  let value: unknown;
  try {
    value = constructFromEvents(events, { source: content, schema: CORE_SCHEMA, maxAliases: 0 })[0];
  } catch {
    return undefined; // a repeated key, for one
  }
  // `null`, `~` or nothing but comments: no document, as the full parser sees it.
  if (value === null || value === undefined) return { documents: [], topLevelKeys: [], diagnostics: [] };
  const topLevelKeys = isRecord(value) ? Object.keys(value) : [];
  return { documents: [{ value, locator: createEventLocator(content, file), index: 0 }], topLevelKeys, diagnostics: [] };
}

/**
 * The value of a plain YAML or JSON document (an OpenAPI file, say), or undefined when it is
 * not plain data or not valid: the caller then asks the full parser.
 */
export function loadPlainValue(content: string): { value: unknown } | undefined {
  const parsed = parsePlainYaml(content, '');
  if (!parsed) return undefined;
  return { value: parsed.documents[0]?.value ?? null };
}

/** A mapping frame counts its children: even ones are keys. */
interface Frame {
  mapping: boolean;
  children: number;
  /** Flow collections are plain only on one line: the full parser warns about some line breaks in them. */
  flowLineEnd: number;
}

/**
 * Plain data only: no directive, anchor, alias or tag; keys are strings written as strings (not
 * `1:`, `true:`, `~:` or a mapping, which the two parsers turn into object keys differently); no
 * `<<` merge key; flow collections on one line.
 */
function isPlain(events: readonly Event[], content: string): boolean {
  const stack: Frame[] = [];
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (event.directives.length > 0) return false;
        stack.push({ mapping: false, children: 0, flowLineEnd: -1 });
        continue;
      case EVENT_ID.POP:
        stack.pop();
        countChild(stack);
        continue;
      case EVENT_ID.ALIAS:
        return false;
      default:
        break;
    }
    if (event.anchorStart !== -1 || event.tagStart !== -1) return false;
    const parent = stack.at(-1);
    const start = event.type === EVENT_ID.SCALAR ? event.valueStart : event.start;
    if (parent && parent.flowLineEnd !== -1 && start > parent.flowLineEnd) return false;
    const isKey = parent?.mapping === true && parent.children % 2 === 0;
    if (event.type === EVENT_ID.SCALAR) {
      if (isKey && !isStringKey(event, content)) return false;
      countChild(stack);
      continue;
    }
    if (isKey) return false;
    const flow = event.style === COLLECTION_STYLE.FLOW;
    const lineEnd = flow ? endOfLine(content, event.start) : -1;
    stack.push({ mapping: event.type === EVENT_ID.MAPPING, children: 0, flowLineEnd: lineEnd });
  }
  return true;
}

function countChild(stack: Frame[]): void {
  const parent = stack.at(-1);
  if (parent) parent.children++;
}

function endOfLine(content: string, offset: number): number {
  const end = content.indexOf('\n', offset);
  return end === -1 ? content.length : end;
}

/** Words the core schema reads as null, true or false, and the first characters of numbers. */
const NON_STRING_PLAIN = /^(?:$|[-+.~0-9]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$|<<$)/;

function isStringKey(event: ScalarEvent, content: string): boolean {
  if (event.style !== SCALAR_STYLE.PLAIN) return event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  if (event.valueStart === -1) return false;
  return !NON_STRING_PLAIN.test(content.slice(event.valueStart, event.valueEnd));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
