import type { Diagnostic } from '../model/diagnostic.ts';
import type { ProductSource } from '../model/product.ts';

/**
 * `product/openapi-outside-project`: an `openapi:` path must name a file inside the project.
 * A product file is reviewed as metadata; it must not be a way to read (and send to a portal)
 * `/etc/passwd`, `~/.ssh/id_rsa` or `../../other-repo/secrets.yaml`. The loader refuses to read
 * such a path (load/openapi-path.ts); this reports it, whichever provider the target has.
 */
export const OPENAPI_PATH_RULE = 'product/openapi-outside-project';

/** Every binding's `openapi` that may not be read, with the (product, target) pairs to keep away from providers. */
export function checkOpenapiPaths(products: readonly ProductSource[]): { diagnostics: Diagnostic[]; refused: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const refused = new Set<string>();
  for (const product of products) {
    for (const [target, binding] of Object.entries(product.spec.targets)) {
      const openapi = (binding as Record<string, unknown> | undefined)?.['openapi'];
      const file = typeof openapi === 'string' ? product.referenced?.[openapi] : undefined;
      if (!file || file.status !== 'outside-project') continue;
      refused.add(refusedKey(product, target));
      diagnostics.push({
        severity: 'error',
        rule: OPENAPI_PATH_RULE,
        message: file.problem,
        fix: file.fix,
        source: product.locate(['targets', target, 'openapi']),
        product: product.spec.name,
        target,
      });
    }
  }
  return { diagnostics, refused };
}

export function refusedKey(product: ProductSource, target: string): string {
  return `${product.file}\u0000${product.spec.name}\u0000${target}`;
}
