// Lengths of the key request fields (safe for the browser; the schemas are in team-policy.schema.ts).
export const JUSTIFICATION_MAX = 500;
export const DECISION_REASON_MAX = 500;
