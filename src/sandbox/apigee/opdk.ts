/**
 * Apigee Edge for Private Cloud (OPDK) as the Edge emulator plays it with `privateCloud: true`.
 * What differs from Edge Public Cloud, as the sources say it:
 * - An org without Core Persistence Services (CPS) pages nothing: `GET …/apiproducts` answers the
 *   whole list, `count` and `startKey` being ignored (reference "Round 2"; apigee-client-php
 *   `listEntitiesWithoutCps`, which reads such orgs in one request). The org's `features.isCpsEnabled`
 *   property says so (the property the PHP client checks).
 * - The management server is reached at `http://{ms}:8080/v1` (reference §6, "Round 2") and
 *   answers errors in Edge's own `{"code": …, "message": …, "contexts": []}` (reference §5), as the
 *   Edge emulator already does.
 * Strict where the sources are silent: the attribute filter (`attributename`) is ignored too, so a
 * client that trusts it is caught.
 */
import { byName, type ApigeeCall, type ApigeeReply } from './http.ts';
import { renderProductList } from './list-view.ts';

const PRODUCT_LIST = /^\/v1\/(?:organizations|o)\/([^/]+)\/apiproducts\/?$/;
const ORGANIZATION = /^\/v1\/(?:organizations|o)\/([^/]+)\/?$/;

/** Whether `pathname` is `pattern` for the served org (another org is left to routes.ts, which refuses it). */
function matches(pattern: RegExp, pathname: string, org: string): boolean {
  const served = pattern.exec(pathname)?.[1];
  return served !== undefined && served === encodeURIComponent(org);
}

/** The Private Cloud answer to `call`, or undefined when it is the same as Edge's (routes.ts). */
export function answerAsPrivateCloud(method: string, pathname: string, call: Omit<ApigeeCall, 'params'>): ApigeeReply | undefined {
  if (method !== 'GET') return undefined;
  if (matches(PRODUCT_LIST, pathname, call.org)) {
    const expand = call.query.get('expand')?.toLowerCase() === 'true';
    const products = Object.values(call.state.products).sort((a, b) => byName(a.name, b.name));
    return { body: renderProductList(products, call.flavour, expand) };
  }
  if (matches(ORGANIZATION, pathname, call.org)) {
    return {
      body: {
        name: call.org,
        displayName: call.org,
        environments: [...call.state.environments],
        properties: { property: [{ name: 'features.isCpsEnabled', value: 'false' }] },
      },
    };
  }
  return undefined;
}
