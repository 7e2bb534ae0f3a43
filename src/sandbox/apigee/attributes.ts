import { ApigeeHttpError, CODES, invalid, parseJsonObject, type ApigeeCall, type ApigeeReply } from './http.ts';
import { MAX_ATTRIBUTES, parseAttributes } from './product-body.ts';
import { productOf, touch } from './products.ts';
import type { ApigeeAttribute, ApigeeStoredProduct } from './state.ts';
import { renderAttribute, renderAttributes } from './view.ts';

/**
 * `…/apiproducts/{name}/attributes[/{attr}]` (reference §1). Shapes from the X reference
 * (organizations.apiproducts.attributes: body and answer `{attribute: [{name, value}]}`; one
 * attribute `{name, value}`), which Edge shares (apigee-client-php attributes/POST.json).
 */

function attributeOf(call: ApigeeCall): { product: ApigeeStoredProduct; index: number; attribute: ApigeeAttribute } {
  const product = productOf(call);
  const name = call.params[1] ?? '';
  const index = product.attributes.findIndex((attribute) => attribute.name === name);
  const attribute = product.attributes[index];
  if (!attribute) {
    throw new ApigeeHttpError(404, CODES.attributeMissing, `Attribute [${name}] does not exist for API Product [${product.name}]`);
  }
  return { product, index, attribute };
}

export function listAttributes(call: ApigeeCall): ApigeeReply {
  return { body: renderAttributes(productOf(call).attributes, call.flavour) };
}

/** POST replaces the whole list: attributes left out are deleted (reference §1). */
export function replaceAttributes(call: ApigeeCall): ApigeeReply {
  const product = productOf(call);
  const body = parseJsonObject(call);
  const unknown = Object.keys(body).find((key) => key !== 'attribute');
  if (unknown !== undefined) throw invalid(`unknown field "${unknown}" (expected {"attribute": [{name, value}]})`);
  product.attributes = parseAttributes(body.attribute, 'attribute');
  touch(product, call);
  return { body: renderAttributes(product.attributes, call.flavour), mutated: true };
}

export function getAttribute(call: ApigeeCall): ApigeeReply {
  return { body: renderAttribute(attributeOf(call).attribute, call.flavour) };
}

/**
 * POST `{value}` (X: an Attribute, so `{name, value}` with the path's name) sets one value. An
 * attribute that does not exist yet is added (the reference is silent; the emulator upserts).
 */
export function updateAttribute(call: ApigeeCall): ApigeeReply {
  const product = productOf(call);
  const name = call.params[1] ?? '';
  const body = parseJsonObject(call);
  const unknown = Object.keys(body).find((key) => key !== 'name' && key !== 'value');
  if (unknown !== undefined) throw invalid(`unknown field "${unknown}" (expected {"value": "…"})`);
  if (body.name !== undefined && body.name !== name) throw invalid(`the body names attribute "${String(body.name)}", the path "${name}"`);
  if (typeof body.value !== 'string') throw invalid('value is required and must be a string');
  const attribute = { name, value: body.value };
  const index = product.attributes.findIndex((existing) => existing.name === name);
  if (index === -1 && product.attributes.length >= MAX_ATTRIBUTES) {
    throw invalid(`an API product has at most ${MAX_ATTRIBUTES} attributes`);
  }
  if (index === -1) product.attributes.push(attribute);
  else product.attributes[index] = attribute;
  touch(product, call);
  return { body: renderAttribute(attribute, call.flavour), mutated: true };
}

/** Answers with the deleted attribute (X: "Deletes an API product attribute", returns Attribute). */
export function deleteAttribute(call: ApigeeCall): ApigeeReply {
  const { product, index, attribute } = attributeOf(call);
  product.attributes.splice(index, 1);
  touch(product, call);
  return { body: renderAttribute(attribute, call.flavour), mutated: true };
}
