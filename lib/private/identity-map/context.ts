import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Templates } from './policies';
import { readable } from './readable';
import { mapRecords, MapRecords } from './records';
import { findByPath } from '../../model/collect';
import type { OurAccessEntry } from '../../model/collect';
import type { IdentityModel } from '../../model/identity-model';
import type {
  AssociationRecord, FargateProfileRecord, OidcProviderRecord, RbacBindingRecord, RoleRecord, ServiceAccountRecord,
} from '../../rules/app-model';

/** The app-wide model's records that belong to one top-level stack (its nested stacks included). */
export interface StackSlice {
  readonly serviceAccounts: ServiceAccountRecord[];
  readonly roles: RoleRecord[];
  readonly associations: AssociationRecord[];
  readonly fargateProfiles: FargateProfileRecord[];
  readonly providers: OidcProviderRecord[];
  readonly accessEntries: OurAccessEntry[];
  readonly rbac: RbacBindingRecord[];
}

/** What a section of the map reads: the model's records of the stack, the map's own records, the templates. */
export interface MapContext {
  readonly stack: Stack;
  readonly slice: StackSlice;
  readonly records: MapRecords;
  readonly policies: Templates;
  /** a value as readable text (`readable`), with the roles the templates name */
  text(scope: IConstruct, value: unknown): string;
  /** the construct at a path of the app */
  find(path: string): IConstruct | undefined;
  /** the model's record of the `iam.Role` at a construct path (any stack of the app) */
  roleAt(rolePath: string): RoleRecord | undefined;
  /** the ARN of a role as readable text: the model's literal ARN, else the expression of `fallback` */
  roleArnText(rolePath: string | undefined, scope: IConstruct, fallback: unknown): string;
  /** the same, for a role construct */
  roleArnOf(role: IConstruct | undefined, scope: () => IConstruct, fallback: unknown): string;
  /** the policies of a role construct (`[]` for none, or a role the app imports) */
  policiesOf(role: IConstruct | undefined): string[];
}

interface AppIndex {
  readonly version: number;
  readonly stacks: number;
  readonly slices: Map<string, StackSlice>;
  readonly roles: Map<string, RoleRecord>;
}

const INDEX = new WeakMap<IdentityModel, AppIndex>();

const empty = (): StackSlice => ({
  serviceAccounts: [], roles: [], associations: [], fargateProfiles: [], providers: [], accessEntries: [], rbac: [],
});

/**
 * The model's records split by top-level stack, once per model version (linear in the records):
 * a record belongs to the innermost stack of `stackPaths` above its construct path.
 */
function indexOf(model: IdentityModel, stackPaths: ReadonlySet<string>): AppIndex {
  const cached = INDEX.get(model);
  if (cached && cached.version === model.version && cached.stacks === stackPaths.size) return cached;
  const slices = new Map<string, StackSlice>();
  const sliceOf = (path: string): StackSlice | undefined => {
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (stackPaths.has(p)) {
        let s = slices.get(p);
        if (!s) slices.set(p, s = empty());
        return s;
      }
      if (!p.includes('/')) return undefined;
    }
  };
  for (const r of model.serviceAccounts) sliceOf(r.path)?.serviceAccounts.push(r);
  for (const r of model.roles) sliceOf(r.path)?.roles.push(r);
  for (const r of model.associations) sliceOf(r.path)?.associations.push(r);
  for (const r of model.fargateProfiles) sliceOf(r.path)?.fargateProfiles.push(r);
  for (const r of model.providers) sliceOf(r.path)?.providers.push(r);
  for (const r of model.accessEntries) sliceOf(r.path)?.accessEntries.push(r);
  for (const source of model.rbacSources) {
    const s = sliceOf(source.place);
    if (s) s.rbac.push(...source.read());
  }
  const roles = new Map<string, RoleRecord>();
  for (const r of model.roles) if (r.rolePath !== undefined) roles.set(r.rolePath, r);
  const index = { version: model.version, stacks: stackPaths.size, slices, roles };
  INDEX.set(model, index);
  return index;
}

/** The context of one top-level stack's map. */
export function mapContext(model: IdentityModel, stackPaths: ReadonlySet<string>, stack: Stack, outdir: string): MapContext {
  const index = indexOf(model, stackPaths);
  const root = stack.node.root;
  const templates = new Templates(outdir);
  const refs = templates.refText.bind(templates);
  const ctx: MapContext = {
    stack,
    slice: index.slices.get(stack.node.path) ?? empty(),
    records: mapRecords,
    policies: templates,
    text: (scope, value) => readable(scope, value, refs),
    find: path => findByPath(root, path),
    roleAt: rolePath => index.roles.get(rolePath),
    roleArnText: (rolePath, scope, fallback) => {
      const arn = rolePath !== undefined ? index.roles.get(rolePath)?.arn : undefined;
      return arn ?? readable(scope, fallback, refs);
    },
    roleArnOf: (role, scope, fallback) => (role ? mapRecords.roleRecord(role)?.arn : undefined) ?? readable(scope(), fallback, refs),
    policiesOf: role => {
      const cfn = role?.node.defaultChild;
      return cfn && CfnResource.isCfnResource(cfn) ? templates.of(cfn, mapRecords.roleRecord(role!)?.name) : [];
    },
  };
  return ctx;
}
