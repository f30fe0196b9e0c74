/** The key material every coordinator of one installation shares (private keys as stored, possibly sealed). */
export interface SharedKeys { caCertPem: string; caKeyPem: string; onlineKeyPem: string; packageKeyPem: string }

/** Where the shared keys live: the first coordinator creates them, the others (even starting at the same moment) load them. */
export interface SharedKeyStore {
  /** The stored keys, or those `create()` makes when there are none yet (exactly one creation wins a race). */
  loadOrCreate(create: () => SharedKeys): Promise<SharedKeys>;
}

/** File names of the shared keys (in the key directory, and as row names in the database store). */
export const SHARED_KEY_FILES: Record<keyof SharedKeys, string> = {
  caCertPem: 'ca.pem', caKeyPem: 'ca-key.pem', onlineKeyPem: 'online-key.pem', packageKeyPem: 'package-key.pem',
};
