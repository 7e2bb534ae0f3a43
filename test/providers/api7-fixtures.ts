/**
 * Shared by the API7 provider tests: the example products as EffectiveProducts (through the
 * loader's resolveEffective), the sandbox target, and changes built the way the planner builds them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Change, ChangeAction } from '../../src/model/plan.ts';
import type { EffectiveProduct, ProductSource, ProductSpec } from '../../src/model/product.ts';
import type { TargetConfig } from '../../src/model/target.ts';
import { resolveEffective } from '../../src/model/effective-product.ts';
import { createLocator } from '../../src/load/locator.ts';
import { readReferencedFiles } from '../../src/load/referenced-files.ts';
import type { DesiredObject, LiveObject } from '../../src/model/objects.ts';
import { exampleProject } from '../helpers/project.ts';

export const TARGET = 'sandbox-api7';
export const TOKEN = 'a7ee-SENTINEL-token-3f9c2d71';

export function sandboxTarget(settings: Record<string, unknown> = {}): TargetConfig {
  return {
    name: TARGET,
    provider: 'api7',
    sandbox: true,
    insecure: false,
    ignore: [],
    settings: { provider: 'api7', sandbox: true, portal: 'default', ...settings },
    source: { file: 'apiproducts.yaml', line: 5, column: 3 },
  };
}

/** A product document from text, as the loader would give it (file path shown relative). */
export function sourceFromText(text: string, file: string, absolutePath = path.resolve(exampleProject, file)): ProductSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const { locate } = createLocator(doc, lineCounter, file);
  const spec = doc.toJS() as ProductSpec;
  // The loader reads what the product refers to; the project here is the product file's directory and the working directory.
  const referenced = readReferencedFiles(spec, { file, absolutePath }, [path.dirname(absolutePath), process.cwd()], new Map());
  return { spec, file, absolutePath, locate, ...(referenced ? { referenced } : {}) };
}

export function exampleSource(name: string): ProductSource {
  const file = `products/${name}.yaml`;
  return sourceFromText(readFileSync(path.join(exampleProject, file), 'utf8'), file);
}

export function effective(source: ProductSource, target = TARGET): EffectiveProduct {
  return resolveEffective(source, target);
}

export function exampleProduct(name: string): EffectiveProduct {
  return effective(exampleSource(name));
}

/** A change as the planner makes it: `after` from the desired object, `ref` from the live one. */
export function changeFor(action: ChangeAction, desired: DesiredObject | undefined, live?: LiveObject, status?: 'draft' | 'published'): Change {
  const key = desired?.key ?? live?.key ?? 'unknown';
  return {
    id: `${TARGET}/${key}/${action}`,
    action,
    target: TARGET,
    key,
    product: desired?.product ?? live?.product ?? key,
    fields: [],
    risk: action === 'delete' || action === 'unpublish' ? 'high' : 'low',
    reasons: [],
    dependsOn: [],
    precondition: live ? { kind: 'present', fingerprint: 'sha256:test', observed: { status: live.status, state: live.state } } : { kind: 'absent' },
    ...(desired
      ? {
          after: {
            status: status ?? desired.status,
            state: desired.state,
            ...(desired.attachments ? { attachments: desired.attachments } : {}),
          },
        }
      : {}),
    ...(live ? { ref: live.ref } : {}),
    ...(desired ? { source: desired.locate() } : {}),
    protected: desired?.protected ?? false,
  };
}
