// The generated CustomObjectsApi on a KubeConfig (the run lister's paged LISTs) and the client's Observable
// its middleware needs; its own module so the run source's first event does not load the generated API.
import {
  CustomObjectsApi,
  Observable,
  type KubeConfig,
} from '@kubernetes/client-node';

export function objectsApiFor(kc: KubeConfig) {
  return {
    api: kc.makeApiClient(CustomObjectsApi),
    observable: <T>(promise: Promise<T>) => new Observable(promise),
  };
}
