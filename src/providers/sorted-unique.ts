/**
 * The distinct strings, sorted by code unit (Array#sort's order): how both vendors compare lists
 * whose order and repeats mean nothing (proxies, environments, hosts, auth names). Most such lists
 * are short and already sorted, so those are copied without building a Set and sorting.
 */
export function sortedUnique(values: Iterable<string>): string[] {
  const list = Array.isArray(values) ? (values as string[]) : [...values];
  let ordered = true;
  for (let i = 1; i < list.length && ordered; i++) ordered = list[i - 1]! < list[i]!;
  return ordered ? list.slice() : [...new Set(list)].sort();
}
