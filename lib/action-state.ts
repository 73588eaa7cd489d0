// The one shape every server action returns to its form. Never carries a password; the only
// secret that ever rides in it is a freshly created key, in that single response.
export type FieldErrors = Record<string, string | undefined>;
export type ActionState<T = undefined> = {
  ok: boolean;
  message?: string;
  /** Set only for a refusal the page acts on itself (asking the user to confirm who they are). */
  code?: "reauthentication_required";
  fieldErrors?: FieldErrors;
  data?: T;
};
