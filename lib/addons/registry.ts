/** Every add-on of the catalogue. */
import { AWS_LOAD_BALANCER_CONTROLLER } from './aws-load-balancer-controller';
import { AddonDefinition } from './types';

export const ADDONS: readonly AddonDefinition[] = [
  AWS_LOAD_BALANCER_CONTROLLER,
];

/** The catalogue ids. */
export function addonIds(): string[] {
  return ADDONS.map(a => a.id);
}
