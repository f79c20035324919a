// Reads infra/*.tf through @cdktf/hcl2json (syntax only: no provider schema) into queryable blocks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Body = Record<string, unknown>;

export interface TfModule {
  files: string[];
  // `${type}.${name}` → body, across every file.
  resources: Map<string, Body>;
  data: Map<string, Body>;
  variables: Map<string, Body>;
  locals: Body;
  // Every parsed document, for whole-module walks.
  docs: Body[];
}

// The repository root, from this file under test/ (tsx) or dist/test/ (compiled).
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (
    !existsSync(join(dir, 'package.json')) ||
    !existsSync(join(dir, 'infra'))
  ) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const parsed = new Map<string, Promise<TfModule>>();

// Parses every .tf file of the directory (once per process: the WASM parser takes ~0.3 s a file).
export function loadModule(dir: string): Promise<TfModule> {
  let mod = parsed.get(dir);
  if (!mod) parsed.set(dir, (mod = parseModule(dir)));
  return mod;
}

// Loaded by a non-literal specifier on purpose: its typings reference lib "dom", which would change the
// global fetch/Response types of the whole program.
const HCL2JSON = '@cdktf/hcl2json';
type Parse = (file: string, src: string) => Promise<Body>;

async function parseModule(dir: string): Promise<TfModule> {
  const { parse } = (await import(HCL2JSON)) as { parse: Parse };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  const mod: TfModule = {
    files,
    resources: new Map(),
    data: new Map(),
    variables: new Map(),
    locals: {},
    docs: [],
  };
  for (const file of files) {
    const doc = await parse(file, readFileSync(join(dir, file), 'utf8'));
    mod.docs.push(doc);
    collect(doc.resource, mod.resources);
    collect(doc.data, mod.data);
    for (const [name, blocks] of Object.entries((doc.variable ?? {}) as Body)) {
      mod.variables.set(name, (blocks as Body[])[0]!);
    }
    for (const block of (doc.locals ?? []) as Body[])
      Object.assign(mod.locals, block);
  }
  return mod;
}

function collect(section: unknown, into: Map<string, Body>): void {
  for (const [type, byName] of Object.entries((section ?? {}) as Body)) {
    for (const [name, blocks] of Object.entries(byName as Body)) {
      into.set(`${type}.${name}`, (blocks as Body[])[0]!);
    }
  }
}

// Resources of one type, as [address, body].
export function ofType(mod: TfModule, type: string): [string, Body][] {
  return [...mod.resources].filter(([address]) =>
    address.startsWith(`${type}.`)
  );
}

// The first nested block (hcl2json keeps blocks as arrays), or the content of a `dynamic` block of that name.
export function block(body: Body, name: string): Body | undefined {
  const direct = body[name] as Body[] | undefined;
  if (direct?.[0]) return direct[0];
  const dynamic = (body.dynamic as Body | undefined)?.[name] as
    Body[] | undefined;
  return ((dynamic?.[0]?.content as Body[] | undefined) ?? [])[0];
}

// Calls `visit` on every object nested anywhere in `value`.
export function walk(value: unknown, visit: (obj: Body) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value !== null && typeof value === 'object') {
    visit(value as Body);
    Object.values(value).forEach((v) => walk(v, visit));
  }
}

// The members an IAM binding grants: `member`, resolved through `local.X.Y` and a `for_each = local.X` map.
export function membersOf(mod: TfModule, body: Body): string[] {
  const forEach = typeof body.for_each === 'string' ? body.for_each : '';
  const each = /^\$\{local\.(\w+)\}$/.exec(forEach);
  if (each && body.member === '${each.value}')
    return Object.values(mod.locals[each[1]!] as Body).map(String);
  const local = /^\$\{local\.(\w+)\.(\w+)\}$/.exec(String(body.member));
  if (local) return [String((mod.locals[local[1]!] as Body)[local[2]!])];
  return [String(body.member)];
}

// The IAM bindings of the module (every google_*_iam_member/binding/policy), as [address, body].
export function iamBindings(mod: TfModule): [string, Body][] {
  return [...mod.resources].filter(([address]) =>
    /^google_.*_iam_(member|binding|policy)$/.test(address.split('.')[0]!)
  );
}

// The service account member string Terraform builds for google_service_account.<name>.
export function saMember(name: string): string {
  return `serviceAccount:\${google_service_account.${name}.email}`;
}
