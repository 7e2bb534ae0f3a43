/**
 * Apigee Spaces (X only) in the emulator: a product's `space` and `POST …/apiproducts/{name}:move`.
 *
 * [C] docs.cloud.google.com/apigee/docs/reference/apis/apigee/rest/v1/organizations.apiproducts/move:
 * the body is `{space}`, "if unspecified, the API product will be moved to the organization level",
 * and the answer is the ApiProduct. [C] cloud.google.com/apigee/docs/api-platform/system-administration/spaces/move-space-resources
 * shows the same call with `?space=SPACE_NAME` and no body (apigeecli sends the query too, reference §1).
 * Both are read here; when both are given they must agree.
 * [I] strict where no source speaks: a space must exist (`organizations.spaces` lists them), and a
 * PUT may not change `space` (only :move is documented as moving), so a client that relies on the
 * PUT moving a product fails here instead of silently staying in its old space.
 */
import { invalid, parseJsonObject, type ApigeeCall, type ApigeeReply } from './http.ts';
import { productOf, touch } from './products.ts';
import type { ApigeeProductFields, ApigeeState, ApigeeStoredProduct } from './state.ts';
import { renderProduct } from './view.ts';

/** The spaces of the org; a product may only be created in or moved to one of these. */
export function spacesOf(state: ApigeeState): readonly string[] {
  return state.spaces ?? [];
}

function checkSpaceExists(state: ApigeeState, space: string): void {
  if (!spacesOf(state).includes(space)) throw invalid(`space [${space}] does not exist in the organization`);
}

/** A create may name an existing space (the product is made there). */
export function checkCreateSpace(state: ApigeeState, fields: ApigeeProductFields): void {
  if (fields.space !== undefined) checkSpaceExists(state, fields.space);
}

/** A PUT may send the product's space back, not change it: moving is `:move`. */
export function checkUpdateSpace(existing: ApigeeStoredProduct, fields: ApigeeProductFields): void {
  if ((fields.space ?? '') !== (existing.space ?? '')) {
    throw invalid(`space cannot be changed by an update (${existing.space ?? 'organization level'} → ${fields.space ?? 'organization level'}); use POST …/apiproducts/${existing.name}:move`);
  }
}

/** `POST …/apiproducts/{name}:move` with `{space}` and/or `?space=`; none moves it to the organization level. */
export function moveProduct(call: ApigeeCall): ApigeeReply {
  const product = productOf(call);
  const body = call.body.trim() === '' ? {} : parseJsonObject(call);
  if (body.space !== undefined && body.space !== null && typeof body.space !== 'string') throw invalid('space must be a string');
  const fromBody = typeof body.space === 'string' && body.space !== '' ? body.space : undefined;
  const fromQuery = call.query.get('space') || undefined;
  if (fromBody !== undefined && fromQuery !== undefined && fromBody !== fromQuery) {
    throw invalid(`the body says space ${fromBody} and the query says space ${fromQuery}`);
  }
  const space = fromBody ?? fromQuery;
  if (space === undefined) delete product.space;
  else {
    checkSpaceExists(call.state, space);
    product.space = space;
  }
  touch(product, call);
  return { body: renderProduct(product, call.flavour), mutated: true };
}
