// Limits of a key's IP allowlist that client components need too, kept apart from zod (see
// api-key.limits.ts). The CHECK on api_keys.allowed_ips says 1..100 entries.
/** Entries a key may have. */
export const ALLOWED_IPS_MAX = 100;
/** Characters in one entry (the longest IPv6 CIDR block is 43; room for what people paste). */
export const ALLOWED_IP_ENTRY_MAX = 64;
/** The dialog's text: 100 entries of 64 characters and their separators fit. */
export const ALLOWED_IPS_TEXT_MAX = ALLOWED_IPS_MAX * (ALLOWED_IP_ENTRY_MAX + 2);
