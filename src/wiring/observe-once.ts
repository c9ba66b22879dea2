/**
 * A dry run with overrides decides twice, with the overrides and with the configured settings, and
 * both decisions must see one observation: otherwise a difference between them could be the lag
 * moving between two reads rather than the settings. The first tick's reads are kept; the second
 * asks for the same groups and services and gets the same answers.
 */
import type { GroupLag, GroupRequest } from '../lag/types.js';
import type { ObservedService, TickDependencies } from '../tick/tick.js';
import { present } from '../util/present.js';

export function observeOnce(deps: TickDependencies): TickDependencies {
  const lags = new Map<string, Promise<GroupLag>>();
  const services = new Map<string, Promise<ObservedService>>();
  const keyOf = (request: GroupRequest) => JSON.stringify([request.group, request.topics ?? null]);
  return {
    ...deps,
    readLag: (requests, deadline) => {
      const unread = requests.filter((request) => !lags.has(keyOf(request)));
      const reads = unread.length > 0 ? deps.readLag(unread, deadline) : [];
      for (const [index, request] of unread.entries()) lags.set(keyOf(request), present(reads[index], 'readLag answers every request'));
      return requests.map((request) => present(lags.get(keyOf(request)), 'every request was read'));
    },
    describeService: (cluster, service, signal) => {
      const key = JSON.stringify([cluster, service]);
      const known = services.get(key);
      if (known) return known;
      const read = deps.describeService(cluster, service, signal);
      services.set(key, read);
      return read;
    },
  };
}
