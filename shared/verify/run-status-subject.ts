// The `tekton` format signs a run status, which has no subject list: it names the digest only through
// the results type hinting reads (IMAGE_DIGEST, IMAGES, *ARTIFACT_OUTPUTS…), so those are searched.
import { isObj, objAt } from './json.js';
import { statusOf } from './view-parts.js';

function resultValues(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) resultValues(item, out);
    return;
  }
  if (!isObj(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (
      (key === 'results' ||
        key === 'taskResults' ||
        key === 'pipelineResults') &&
      Array.isArray(value)
    ) {
      out.push(JSON.stringify(value));
    } else {
      resultValues(value, out);
    }
  }
}

// True when some run or child result value contains sha256:<hex> (or the bare hex).
export function runStatusNamesDigest(payload: unknown, hex: string): boolean {
  const values: string[] = [];
  resultValues(payload, values);
  return values.some((v) => v.includes(hex));
}

// The run's Succeeded condition (PipelineRun payloads wrap the status; TaskRun payloads are the status).
export function runStatusOf(payload: unknown): { status?: string } {
  const wrapped = objAt(payload, 'status');
  const conditions = (
    isObj(payload) && 'taskRuns' in payload
      ? wrapped
      : isObj(payload)
        ? payload
        : {}
  ).conditions;
  const status = statusOf(conditions);
  return status === undefined ? {} : { status };
}
