import { ACCESS_ENTRIES } from './access-entries';
import { FARGATE_PROFILES } from './fargate';
import { OIDC_PROVIDERS } from './oidc-providers';
import { POD_IDENTITY_ASSOCIATIONS } from './pod-identity';
import { RBAC_BINDINGS } from './rbac';
import { ROLES } from './roles';
import { MapSection } from './section';
import { SERVICE_ACCOUNTS } from './service-accounts';

/** The sections of the map, in JSON key, table and drawing order. Add a section here (at the end). */
export const SECTIONS: ReadonlyArray<MapSection<any>> = [
  SERVICE_ACCOUNTS,
  ACCESS_ENTRIES,
  ROLES,
  POD_IDENTITY_ASSOCIATIONS,
  RBAC_BINDINGS,
  FARGATE_PROFILES,
  OIDC_PROVIDERS,
];
