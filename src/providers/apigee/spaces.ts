/**
 * Apigee Spaces (X only): which space a product is in, and moving it.
 *
 * - `space` is a field of the X ApiProduct (reference §2 table, "Round 2").
 * - Listing: "space — Optional. The Space to list API products for. When none provided, all the
 *   spaces the user has list access [to] will be used implicitly" ([C] pub.dev googleapis
 *   OrganizationsApiproductsResource.list; cloud.google.com …/organizations.apiproducts/list). So
 *   observe() lists WITHOUT `?space=`: a plan must see products of every space, since a product
 *   name is unique in the org (§2) whichever space holds it, and a Git product in space A collides
 *   with an unowned product of the same name in space B.
 * - Moving: `POST …/apiproducts/{name}:move`, body `{space}`, answer the ApiProduct ([C]
 *   docs.cloud.google.com/apigee/docs/reference/apis/apigee/rest/v1/organizations.apiproducts/move);
 *   the how-to page and apigeecli pass `?space=` instead ([C] …/spaces/move-space-resources,
 *   apigee/apigeecli internal/client/products/products.go `Move`). Both are sent, with the same value.
 * - Whether a PUT may change `space` is not documented [I]: the product is moved first, and the
 *   PUT then carries the space it is already in (safe whichever way a server reads it).
 */
import type { ApigeeClient } from './client.ts';
import type { ApigeeProduct } from './wire.ts';

/**
 * Moves `live` into `space` when Git names another one, before the PUT that carries the new space.
 * `space` undefined: Git leaves the space to the portal (mapping.ts keptFields), nothing moves.
 */
export async function moveToSpace(client: ApigeeClient, live: ApigeeProduct, space: string | undefined): Promise<void> {
  if (space === undefined || live.space === space) return;
  await client.moveProduct(live.name, space);
}
