import { OPENAPI_ATTACHMENT, type ApiDescription } from '../model/api-operations.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { describeApi } from '../load/openapi-operations.ts';

export interface DescribedObjects {
  desired: DesiredObject[];
  live: LiveObject[];
}

/**
 * Between observe and plan: the operations of both OpenAPI documents of every Git/live pair whose
 * documents differ, so that the plan can list operations instead of a digest. Only those pairs
 * are read (a plan's cost follows its changes, not the portal's size), and each distinct text once.
 */
export async function describeChangedApis(desired: readonly DesiredObject[], live: readonly LiveObject[]): Promise<DescribedObjects> {
  // Only the keys of desired objects that carry a document are looked up: a list per live object
  // was one array per product of the portal.
  const documented = new Set<string>();
  for (const object of desired) if (object.attachments?.[OPENAPI_ATTACHMENT] !== undefined) documented.add(object.key);
  const liveByKey = new Map<string, LiveObject[]>();
  for (const object of live) {
    if (documented.has(object.key)) liveByKey.get(object.key)?.push(object) ?? liveByKey.set(object.key, [object]);
  }
  const texts = new Map<string, Promise<ApiDescription>>();
  const describe = (text: string): Promise<ApiDescription> => {
    let description = texts.get(text);
    if (!description) texts.set(text, (description = describeApi(text)));
    return description;
  };
  const wanted = new Map<DesiredObject | LiveObject, Promise<ApiDescription>>();
  for (const object of desired) {
    const text = object.attachments?.[OPENAPI_ATTACHMENT];
    if (text === undefined) continue;
    for (const counterpart of liveByKey.get(object.key) ?? []) {
      const liveText = counterpart.attachments?.[OPENAPI_ATTACHMENT];
      if (liveText === text) continue;
      wanted.set(object, describe(text));
      wanted.set(counterpart, liveText === undefined ? Promise.resolve({ status: 'unreadable', problem: 'the live product carries no OpenAPI document' }) : describe(liveText));
    }
  }
  if (wanted.size === 0) return { desired: [...desired], live: [...live] };
  const described = new Map<DesiredObject | LiveObject, ApiDescription>();
  await Promise.all([...wanted].map(async ([object, description]) => described.set(object, await description)));
  const withApi = <T extends DesiredObject | LiveObject>(object: T): T => (described.has(object) ? { ...object, api: described.get(object)! } : object);
  return { desired: desired.map(withApi), live: live.map(withApi) };
}
