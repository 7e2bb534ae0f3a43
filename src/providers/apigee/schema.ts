import type { VendorSchema } from '../../model/vendor-schema.ts';
import { OPERATIONS_SCHEMA } from './operations.ts';
import { API_OPERATIONS_SCHEMA } from './api-operations.ts';
import { PORTAL_SCHEMA } from './portal.ts';

/** Apigee's keys in apiproducts.yaml and in binding blocks (mapping in mapping.ts, rules in validate-binding.ts). */
export const APIGEE_SCHEMA: VendorSchema = {
  target: {
    org: { type: 'string', minLength: 1, description: 'Apigee: organization name.' },
    flavour: { enum: ['edge', 'x'], description: 'Apigee: edge (Apigee Edge / Private Cloud) or x (Apigee X / hybrid).' },
  },
  // No default: Edge and X differ in URL, paging and credentials, and a wrong guess fails late.
  requiredTarget: ['org', 'flavour'],
  credentials: {
    tokenEnv: 'Name of the environment variable holding the API token (e.g. API7_TOKEN); never the token itself.',
    usernameEnv: 'Apigee Edge basic auth: name of the environment variable holding the user name.',
    passwordEnv: 'Apigee Edge basic auth: name of the environment variable holding the password.',
  },
  binding: {
    proxies: { $ref: '#/$defs/stringList', description: 'Apigee: API proxies bundled in the product.' },
    environments: { $ref: '#/$defs/stringList', description: 'Apigee: environments the product is available in.' },
    resources: { $ref: '#/$defs/stringList', description: 'Apigee: resource paths (e.g. /charges/**) the product allows.' },
    scopes: { $ref: '#/$defs/stringList', description: 'Apigee: OAuth scopes the product grants.' },
    operations: OPERATIONS_SCHEMA,
    ...API_OPERATIONS_SCHEMA,
    quotaCounterScope: {
      enum: ['PROXY', 'OPERATION', 'PRODUCT'],
      description: 'Apigee X: where the product quota is counted: per API proxy, per operation, or once for the whole product. Not written: the live value is kept.',
    },
    space: {
      type: 'string',
      minLength: 1,
      description: 'Apigee X: the Apigee Space the product belongs to (who may manage it). Absent: the live space is kept. A change moves the product (POST …/apiproducts/{name}:move).',
    },
    portal: PORTAL_SCHEMA,
    unbounded: {
      type: 'boolean',
      description: 'Apigee: allow a product with no proxies, no resources and no operations on purpose: it grants access to every API proxy in the organization.',
    },
  },
};
