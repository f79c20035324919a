// Label selectors and the v1 → v1beta1 view of Tekton runs, as the kube stand-in serves them.

type Labels = Record<string, string>;

// Equality-based selector: `k=v`, `k==v`, `k!=v`, `k` (exists), `!k` (absent), comma-separated (AND).
export function matchesSelector(labels: Labels, selector: string): boolean {
  return selector
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '')
    .every((term) => {
      const ne = term.indexOf('!=');
      if (ne > 0) return labels[term.slice(0, ne)] !== term.slice(ne + 2);
      const eq = term.indexOf('=');
      if (eq > 0) {
        const value = term.slice(eq + 1).replace(/^=/, '');
        return labels[term.slice(0, eq)] === value;
      }
      if (term.startsWith('!')) return !(term.slice(1) in labels);
      return term in labels;
    });
}

type Obj = {
  kind?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
};

// The v1beta1 field names Tekton's conversion uses (results → taskResults / pipelineResults, SA name).
export function toV1beta1(object: Obj): Obj {
  const obj = structuredClone(object);
  obj.apiVersion = 'tekton.dev/v1beta1';
  const status = obj.status;
  if (status && 'results' in status) {
    status[obj.kind === 'PipelineRun' ? 'pipelineResults' : 'taskResults'] =
      status.results;
    delete status.results;
  }
  const template = obj.spec?.taskRunTemplate as
    { serviceAccountName?: string } | undefined;
  if (obj.spec && template?.serviceAccountName !== undefined) {
    obj.spec.serviceAccountName = template.serviceAccountName;
    delete obj.spec.taskRunTemplate;
  }
  return obj;
}
