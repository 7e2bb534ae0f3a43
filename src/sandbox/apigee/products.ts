import { ApigeeHttpError, CODES, invalid, parseJsonObject, productMissing, type ApigeeCall, type ApigeeReply } from './http.ts';
import { checkReferences, parseProductBody } from './product-body.ts';
import { findProduct, removeProduct, storeProduct, type ApigeeStoredProduct } from './state.ts';
import { renderProduct } from './view.ts';
import { renderProductList } from './list-view.ts';
import { productPage } from './name-order.ts';
import { checkCreateSpace, checkUpdateSpace } from './spaces.ts';
import { checkNoCatalogItems } from './apidocs.ts';

/** Reference §3: without `count` a page holds at most 1000, and 1000 is the most it ever holds. */
export const MAX_PAGE_SIZE = 1000;

/**
 * `count`: absent means 1000; larger values are served as 1000, not refused (the servers cut
 * larger pages to 1000 silently: apigeecli #669/#670, reference §3); anything but a positive
 * integer is a 400.
 */
function pageSize(query: URLSearchParams): number {
  const raw = query.get('count');
  if (raw === null) return MAX_PAGE_SIZE;
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(`count must be a positive integer, got "${raw}"`);
  return Math.min(value, MAX_PAGE_SIZE);
}

/**
 * `attributename` [+ `attributevalue`] keep the products carrying that attribute (reference §3,
 * [C] postman gateways products.yaml and the X discovery doc's list parameters).
 */
function matchesAttributeFilter(product: ApigeeStoredProduct, call: ApigeeCall): boolean {
  const query = call.query;
  const name = query.get('attributename');
  if (!name || call.ignoreAttributeFilter) return true;
  const value = query.get('attributevalue');
  return product.attributes.some((attribute) => attribute.name === name && (value === null || attribute.value === value));
}

/**
 * `GET …/apiproducts[?expand][&count][&startKey][&attributename[&attributevalue]]`, in name order.
 * startKey is INCLUSIVE: the page starts with the product it names, so a client paging with the
 * last name of the previous page sees that name again (reference §3). On Edge an unknown startKey
 * is a 404 (CPS orgs, reference §3); on X, where the reference is silent, it is a lower bound.
 */
export function listProducts(call: ApigeeCall): ApigeeReply {
  const count = pageSize(call.query);
  const expand = call.query.get('expand')?.toLowerCase() === 'true';
  const startKey = call.query.get('startKey');
  if (startKey !== null && call.flavour === 'edge' && !findProduct(call.state, startKey)) {
    throw productMissing(startKey, call.org);
  }
  const page = productPage(call.state, startKey, count, (product) => matchesAttributeFilter(product, call));
  return { body: renderProductList(page, call.flavour, expand) };
}

/** The product named by the first path parameter, or the flavour's 404. */
export function productOf(call: ApigeeCall): ApigeeStoredProduct {
  const name = call.params[0] ?? '';
  const product = findProduct(call.state, name);
  if (!product) throw productMissing(name, call.org);
  return product;
}

export function getProduct(call: ApigeeCall): ApigeeReply {
  return { body: renderProduct(productOf(call), call.flavour) };
}

/**
 * 201 on Edge (apigeetool and apigee-edge-js require exactly 201, reference §4). X's status is
 * unconfirmed (reference §12); the emulator answers 200, Google's usual status for a create, so a
 * provider that demands 201 from X fails here. A taken name is 409 (reference §4).
 */
export function createProduct(call: ApigeeCall): ApigeeReply {
  const fields = parseProductBody(parseJsonObject(call), call.flavour);
  if (findProduct(call.state, fields.name)) {
    throw new ApigeeHttpError(409, CODES.productExists, `API Product [${fields.name}] already exists for tenant [${call.org}]`);
  }
  checkReferences(call.state, fields);
  checkCreateSpace(call.state, fields);
  const product: ApigeeStoredProduct = {
    ...fields,
    // The behaviour behind ApigeeEmulatorOptions.dropAttributes: attributes never stored.
    ...(call.dropAttributes ? { attributes: [] } : {}),
    createdAt: call.now,
    createdBy: call.actor,
    lastModifiedAt: call.now,
    lastModifiedBy: call.actor,
  };
  storeProduct(call.state, product);
  return { status: call.flavour === 'edge' ? 201 : 200, body: renderProduct(product, call.flavour), mutated: true };
}

/**
 * PUT (and, on Edge, POST as apigee-edge-js sends it, reference §4/§10): a FULL replace. Every
 * field the body omits is gone afterwards (reference §4: "include all required values … as well
 * as any optional values"); the name cannot change; createdAt/createdBy are kept.
 */
export function replaceProduct(call: ApigeeCall): ApigeeReply {
  const existing = productOf(call);
  const fields = parseProductBody(parseJsonObject(call), call.flavour, existing.name);
  checkReferences(call.state, fields);
  checkUpdateSpace(existing, fields);
  const product: ApigeeStoredProduct = {
    ...fields,
    createdAt: existing.createdAt,
    createdBy: existing.createdBy,
    lastModifiedAt: call.now,
    lastModifiedBy: call.actor,
  };
  storeProduct(call.state, product);
  return { body: renderProduct(product, call.flavour), mutated: true };
}

/** 200 with the deleted product on both flavours (reference §1, §4). */
export function deleteProduct(call: ApigeeCall): ApigeeReply {
  const product = productOf(call);
  checkNoCatalogItems(call.state, product.name);
  removeProduct(call.state, product.name);
  return { body: renderProduct(product, call.flavour), mutated: true };
}

/** Bumps lastModifiedAt/By after a change to one of the product's parts (attributes). */
export function touch(product: ApigeeStoredProduct, call: ApigeeCall): void {
  product.lastModifiedAt = call.now;
  product.lastModifiedBy = call.actor;
}
