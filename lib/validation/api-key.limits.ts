// Limits and defaults of the key form that client components need too. Kept apart from
// api-key.schema.ts so that importing them does not put zod into the browser bundle.
export const NAME_MAX = 64;
export const DESCRIPTION_MAX = 280;
export const EXPIRATION_CHOICES = ["7", "30", "60", "90", "custom", "never"] as const;
export type ExpirationChoice = (typeof EXPIRATION_CHOICES)[number];
/** A key made without a chosen expiry (the API's default, the form's preselected choice) lives this long. */
export const DEFAULT_LIFETIME_DAYS = 30;
export const DEFAULT_EXPIRATION = String(DEFAULT_LIFETIME_DAYS) as ExpirationChoice;
export const MAX_CUSTOM_DAYS = 365;
