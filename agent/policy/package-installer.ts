import { AppError } from '../../shared/errors.js';
import type { BundlePayload } from '../../shared/schemas/bundle-policy.js';
import type { PolicyItemResult } from '../../shared/schemas/policy-results.js';

/** A package payload as the bundle carries it. */
export type PackageItem = Extract<BundlePayload, { type: 'package' }>;

/** How one payload of a run ended. */
export type ItemOutcome = Omit<PolicyItemResult, 'index' | 'type'>;

/** The seam between the policy run and the packages feature: fetch (download + verify) first, then apply. */
export interface PackageInstaller {
  /** Downloads and verifies what the item needs before anything of the run is applied; rejects when it cannot. */
  fetch(item: PackageItem, signal?: AbortSignal): Promise<void>;
  /** Installs, caches, installs the cached copy of, or removes the package. */
  apply(item: PackageItem, signal?: AbortSignal): Promise<ItemOutcome>;
}

/** Message of a package item on an agent built without the packages feature. */
export const PACKAGES_UNAVAILABLE = 'package payloads need the packages feature';

/** This agent cannot handle package payloads. */
export class PackagesUnavailableError extends AppError {
  constructor() { super('PACKAGES_UNAVAILABLE', PACKAGES_UNAVAILABLE, 501); }
}

/** The default installer: every package item fails with `PACKAGES_UNAVAILABLE`; the rest of the run goes on. */
export const unavailablePackageInstaller: PackageInstaller = {
  fetch: async () => { throw new PackagesUnavailableError(); },
  apply: async () => { throw new PackagesUnavailableError(); },
};
