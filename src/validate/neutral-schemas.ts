import type { JsonSchema } from '../model/vendor-schema.ts';
import { POLICY_SCHEMA_DEFS } from './policies/policy-schema.ts';

/**
 * The provider-neutral parts of `schemas/*.json`. Each vendor adds its own keys (VendorSchema);
 * build-schemas.ts merges them, and scripts/write-schemas.ts writes the files editors and users
 * see (a test fails when the committed files are stale).
 */
export const NEUTRAL_PRODUCT_SCHEMA: JsonSchema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://apiproducts.dev/schemas/product.schema.json",
  "title": "apiproducts product",
  "description": "One API product, published to the targets it binds (products/*.yaml). See DESIGN §3.",
  "type": "object",
  "required": ["name", "targets"],
  "additionalProperties": false,
  "properties": {
    "name": {
      "$ref": "#/$defs/identifier",
      "description": "Identity of the product on every target: 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit. Immutable: renaming deletes the old product and creates a new one."
    },
    "displayName": {"$ref": "#/$defs/displayName"},
    "description": {"type": "string", "description": "What the API does, in Markdown, shown on the developer portal."},
    "status": {"$ref": "#/$defs/status"},
    "visibility": {"$ref": "#/$defs/visibility"},
    "access": {"$ref": "#/$defs/access"},
    "team": {
      "type": "string",
      "minLength": 1,
      "description": "Owning team; becomes an API7 label or an Apigee attribute."
    },
    "labels": {"$ref": "#/$defs/labels"},
    "auth": {"$ref": "#/$defs/auth"},
    "plans": {"$ref": "#/$defs/plans"},
    "protected": {
      "type": "boolean",
      "description": "When true, the product is never unpublished or deleted without --allow-destructive."
    },
    "targets": {
      "type": "object",
      "minProperties": 1,
      "description": "Where the product is published: one binding block per target named in apiproducts.yaml.",
      "additionalProperties": {"$ref": "#/$defs/binding"}
    }
  },
  "$defs": {
    "identifier": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9._-]{0,62}$",
      "description": "1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit."
    },
    "displayName": {
      "type": "string",
      "minLength": 1,
      "pattern": "\\S",
      "description": "Human-readable name shown on the portal (not only spaces: the portals refuse a blank name); defaults to name."
    },
    "status": {
      "enum": ["draft", "published"],
      "description": "draft: created but hidden from developers; published: listed on the portal. Defaults to draft."
    },
    "visibility": {
      "enum": ["public", "logged-in", "unlisted", "private", "internal"],
      "description": "Who can see the product on the portal; each provider accepts a subset. Defaults to logged-in."
    },
    "access": {
      "enum": ["auto", "approval", "restricted"],
      "description": "How developers get access: auto-approved, approved by a person, or invite-only. Defaults to approval."
    },
    "labels": {
      "type": "object",
      "description": "Free-form key/value labels; API7 labels or Apigee attributes.",
      "additionalProperties": {"type": "string", "description": "Label value."}
    },
    "auth": {
      "type": "array",
      "description": "Authentication methods developers use: key-auth, basic-auth (each plain or with options), or {oauth: {dcrProvider: NAME}}.",
      "uniqueItems": true,
      "allOf": [
        {
          "description": "At most one key-auth item, plain or with options.",
          "contains": {"anyOf": [{"const": "key-auth"}, {"type": "object", "required": ["key-auth"], "properties": {"key-auth": {"description": "The key-auth item with options."}}}]},
          "minContains": 0,
          "maxContains": 1
        },
        {
          "description": "At most one basic-auth item, plain or with options.",
          "contains": {"anyOf": [{"const": "basic-auth"}, {"type": "object", "required": ["basic-auth"], "properties": {"basic-auth": {"description": "The basic-auth item with options."}}}]},
          "minContains": 0,
          "maxContains": 1
        }
      ],
      "items": {
        "description": "key-auth, basic-auth, or OAuth through a dynamic client registration provider.",
        "oneOf": [
          {"enum": ["key-auth", "basic-auth"], "description": "API key or HTTP basic authentication, options left as the portal has them."},
          {
            "type": "object",
            "required": ["key-auth"],
            "additionalProperties": false,
            "description": "API key authentication with options; an option left out keeps its value on the portal.",
            "properties": {
              "key-auth": {
                "type": "object",
                "additionalProperties": false,
                "description": "API7 key-auth options.",
                "properties": {
                  "header": {"type": "string", "minLength": 1, "description": "Request header carrying the key (API7 default apikey)."},
                  "query": {"type": "string", "minLength": 1, "description": "Query parameter carrying the key (API7 default apikey)."},
                  "hideCredentials": {"type": "boolean", "description": "Strip the key before the request reaches the upstream (API7 default false)."}
                }
              }
            }
          },
          {
            "type": "object",
            "required": ["basic-auth"],
            "additionalProperties": false,
            "description": "HTTP basic authentication with options; an option left out keeps its value on the portal.",
            "properties": {
              "basic-auth": {
                "type": "object",
                "additionalProperties": false,
                "description": "API7 basic-auth options.",
                "properties": {
                  "hideCredentials": {"type": "boolean", "description": "Strip the Authorization header before the upstream (API7 default false)."}
                }
              }
            }
          },
          {
            "type": "object",
            "required": ["oauth"],
            "additionalProperties": false,
            "description": "OAuth 2.0 with clients registered through a DCR provider.",
            "properties": {
              "oauth": {
                "type": "object",
                "required": ["dcrProvider"],
                "additionalProperties": false,
                "description": "OAuth settings.",
                "properties": {
                  "dcrProvider": {
                    "type": "string",
                    "minLength": 1,
                    "description": "Name of the dynamic client registration provider configured on the portal."
                  }
                }
              }
            }
          }
        ]
      }
    },
    "plans": {
      "type": "array",
      "description": "Quota tiers developers subscribe to; optional.",
      "items": {
        "type": "object",
        "required": ["name", "limits"],
        "additionalProperties": false,
        "description": "One quota tier.",
        "properties": {
          "name": {
            "$ref": "#/$defs/identifier",
            "description": "Name of the tier (Apigee products are named <product>-<plan>, displayed as '<displayName> (<plan>)'). A plan named default is the Apigee product <product> itself, displayed as <displayName>: how a product with a quota keeps its own name (apiproducts import writes one for a live product that has a quota)."
          },
          "limits": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": false,
            "description": "Request limits of the tier; at least one.",
            "properties": {
              "perSecond": {"$ref": "#/$defs/limit", "description": "Requests per second."},
              "perMinute": {"$ref": "#/$defs/limit", "description": "Requests per minute."},
              "perHour": {"$ref": "#/$defs/limit", "description": "Requests per hour."},
              "perDay": {"$ref": "#/$defs/limit", "description": "Requests per day."},
              "perMonth": {"$ref": "#/$defs/limit", "description": "Requests per month."},
              "burst": {"$ref": "#/$defs/limit", "description": "Requests allowed above the rate in a short burst."}
            }
          }
        }
      }
    },
    "limit": {"type": "integer", "minimum": 1, "description": "A positive whole number of requests."},
    "stringList": {"type": "array", "items": {"type": "string", "minLength": 1, "description": "One entry."}},
    "binding": {
      "type": "object",
      "additionalProperties": false,
      "description": "How the product binds on one target: provider keys, and overrides of common fields for this target only.",
      "properties": {
        "displayName": {"$ref": "#/$defs/displayName"},
        "status": {"$ref": "#/$defs/status"},
        "visibility": {"$ref": "#/$defs/visibility"},
        "access": {"$ref": "#/$defs/access"},
        "labels": {"$ref": "#/$defs/labels"},
        "auth": {"$ref": "#/$defs/auth"},
        "plans": {"$ref": "#/$defs/plans"},
        "adopt": {
          "type": "boolean",
          "description": "Take over a product that already exists on this target but was not created by apiproducts (written by `apiproducts import`): the next apply marks it as managed instead of reporting a collision."
        },
        "adoptFrom": {
          "type": "string",
          "pattern": "^([a-z0-9][a-z0-9._-]{0,62})?$",
          "description": "Take over a product that another configuration's owner manages on this target (written by `apiproducts import --adopt-from NAME`; '' for one without owner:): the next apply rewrites its ownership marker to this configuration's owner."
        }
      }
    }
  }
};

/** `provider` lists the registered kinds and `target` gains each vendor's keys when built. */
export const NEUTRAL_TARGETS_SCHEMA: JsonSchema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://apiproducts.dev/schemas/targets.schema.json",
  "title": "apiproducts targets (apiproducts.yaml)",
  "description": "The portals products are published to, and how runs behave. See DESIGN §4.",
  "type": "object",
  "required": ["targets"],
  "additionalProperties": false,
  "properties": {
    "targets": {
      "type": "object",
      "minProperties": 1,
      "description": "Targets by name; product files bind to these names.",
      "propertyNames": {
        "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$",
        "description": "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit."
      },
      "additionalProperties": {"$ref": "#/$defs/target"}
    },
    "owner": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9._-]{0,62}$",
      "description": "Who this configuration is on portals it shares with other repositories: written into every ownership marker, and only products marked with this owner are updated or pruned; the others are shown as managed by their owner. Defaults to none (products marked without an owner are this configuration's)."
    },
    "prune": {
      "type": "boolean",
      "description": "Delete owned products that were removed from Git (also --prune). Defaults to false."
    },
    "concurrency": {
      "type": "integer",
      "minimum": 1,
      "maximum": 64,
      "description": "Writes in flight per target. Defaults to 8."
    },
    "policies": {"$ref": "#/$defs/policies"}
  },
  "$defs": {
    ...POLICY_SCHEMA_DEFS,
    "envName": {
      "type": "string",
      "pattern": "^[A-Z_][A-Z0-9_]*$",
      "description": "The NAME of an environment variable (e.g. API7_TOKEN), never its value."
    },
    "target": {
      "type": "object",
      "required": ["provider"],
      "additionalProperties": false,
      "description": "One portal: its provider, where its management API is, and which environment variables hold its credentials.",
      "properties": {
        "provider": {"enum": [], "description": "Kind of portal: api7 (API7 Enterprise) or apigee (Apigee Edge or X)."},
        "url": {
          "type": "string",
          "format": "uri",
          "description": "Root of the management API (e.g. https://api7.example.com:7443); not used for sandbox targets. Plain http:// needs insecure: true unless the host is loopback."
        },
        "sandbox": {
          "type": "boolean",
          "description": "Run an embedded emulator of the management API on 127.0.0.1 instead of a real portal."
        },
        "insecure": {
          "type": "boolean",
          "description": "Allow plain http:// to a non-loopback host (credentials travel unencrypted)."
        },
        "timeout": {
          "anyOf": [
            {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(ms|s|m)$"},
            {"type": "integer", "minimum": 1, "maximum": 600}
          ],
          "description": "Per-request timeout: 30s, 1500ms, 2m, or a number of seconds (default 30s, at most 10m)."
        },
        "caFile": {
          "type": "string",
          "minLength": 1,
          "description": "PEM file of the private CA (or CAs) that signed the management API's TLS certificate, relative to apiproducts.yaml; trusted besides the public roots. TLS verification is always on."
        },
        "ignore": {
          "type": "array",
          "uniqueItems": true,
          "items": {"type": "string", "pattern": "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_.-]+)*$"},
          "description": "Field paths managed outside Git on this target (e.g. description, labels.owner): never shown as drift and never overwritten by apply."
        },
        "maxAffected": {
          "type": "integer",
          "minimum": 0,
          "description": "Impact policy: a high-risk change that affects more consumers than this (API7 subscriptions, Apigee developer apps), or whose count cannot be read, is refused even with --allow-destructive unless apply is given --allow-affected N with N at least its count (docs/impact.md)."
        }
      }
    }
  }
};
