import type { VendorSchema } from '../../model/vendor-schema.ts';
import { OPERATIONS_SCHEMA } from './operations.ts';
import { API_OPERATIONS_SCHEMA } from './api-operations.ts';
import { PORTAL_SCHEMA } from './portal.ts';

/** Apigee's keys in apiproducts.yaml and in binding blocks (mapping in mapping.ts, rules in validate-binding.ts). */
export const APIGEE_SCHEMA: VendorSchema = {
  target: {
    org: { type: 'string', minLength: 1, description: 'Apigee: organization name.' },
    flavour: { enum: ['edge', 'x'], description: 'Apigee: edge (Apigee Edge / Private Cloud) or x (Apigee X / hybrid).' },
    auth: { enum: ['basic', 'oauth', 'saml'], description: 'Apigee Edge: basic (usernameEnv + passwordEnv), oauth (tokens from the Edge OAuth2 service with the password grant) or saml (a one-time passcode). Default: basic when usernameEnv is set.' },
    tokenUrl: { type: 'string', minLength: 1, description: 'Apigee Edge oauth/saml: the token endpoint; default https://login.apigee.com/oauth/token; SAML orgs https://ZONE.login.apigee.com/oauth/token; Private Cloud the SSO module (http://SSO:9099/oauth/token).' },
    mfaTokenEnv: { $ref: '#/$defs/envName', description: 'Apigee Edge oauth: name of the environment variable holding the current MFA code, when the account has two-factor authentication.' },
    refreshTokenEnv: { $ref: '#/$defs/envName', description: 'Apigee Edge oauth/saml: name of the environment variable holding a refresh token (e.g. from get_token), used before any password or passcode.' },
    credentialsFile: { type: 'string', minLength: 1, description: 'Apigee X: path (relative to apiproducts.yaml) of a Google service-account key file or other credentials JSON; default Application Default Credentials. Its content is never printed.' },
    privateCloud: { type: 'boolean', description: 'Apigee Edge sandbox only: emulate an Edge for Private Cloud management server (product lists unpaged).' },
  },
  // No default: Edge and X differ in URL, paging and credentials, and a wrong guess fails late.
  requiredTarget: ['org', 'flavour'],
  credentials: {
    tokenEnv: 'Name of the environment variable holding the API token (e.g. API7_TOKEN); never the token itself.',
    usernameEnv: 'Apigee Edge basic or oauth: name of the environment variable holding the user name.',
    passwordEnv: 'Apigee Edge basic or oauth: name of the environment variable holding the password.',
    passcodeEnv: 'Apigee Edge saml: name of the environment variable holding a one-time SSO passcode.',
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
