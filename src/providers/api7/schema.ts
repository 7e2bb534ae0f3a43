import type { VendorSchema } from '../../model/vendor-schema.ts';

/** API7's keys in apiproducts.yaml and in binding blocks (mapping in mapping.ts, rules in validate-binding.ts). */
export const API7_SCHEMA: VendorSchema = {
  target: {
    portal: { type: 'string', minLength: 1, description: 'API7: name of the developer portal (resolved to its id).' },
  },
  credentials: {
    tokenEnv: 'Name of the environment variable holding the API token (e.g. API7_TOKEN); never the token itself.',
  },
  binding: {
    type: {
      enum: ['gateway', 'external'],
      description: 'API7: gateway (links published gateway services) or external (documents an OpenAPI file).',
    },
    services: {
      type: 'array',
      minItems: 1,
      description: 'API7 gateway products: the published gateway services the product links.',
      items: {
        type: 'object',
        required: ['gatewayGroup', 'service'],
        additionalProperties: false,
        description: 'One published service.',
        properties: {
          gatewayGroup: { type: 'string', minLength: 1, description: 'Name of the gateway group the service is published to.' },
          service: { type: 'string', minLength: 1, description: 'Name of the published service.' },
          hosts: {
            type: 'array',
            description: 'Hosts the service is reached on, shown on the portal.',
            items: { type: 'string', minLength: 1, description: 'A host name.' },
          },
        },
      },
    },
    openapi: {
      type: 'string',
      minLength: 1,
      description: 'API7 external products: path of the OpenAPI document, relative to this product file.',
    },
    serverUrls: {
      type: 'array',
      description: 'API7 external products: the URLs the API is served on.',
      items: { type: 'string', format: 'uri', description: 'An absolute URL.' },
    },
  },
};
