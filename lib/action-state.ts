// The one shape every server action returns to its form. Never carries a password; the only
// secret that ever rides in it is a freshly created key, in that single response.
export type FieldErrors = Record<string, string | undefined>;
export type ActionState<T = undefined> = {
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  data?: T;
};
