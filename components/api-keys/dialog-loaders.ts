// The API Keys page's dialogs (their forms, the access grid, radio groups, the secret display) are
// most of the page's own JavaScript, and most visits open none of them. So they are not part of
// the first load: each is imported the first time it is needed (keys-section.tsx), and pointing
// at or focusing a button that opens one starts loading them all, so a click rarely waits.
export const dialogLoaders = {
  create: () => import("./create-key-dialog"),
  rotate: () => import("./rotate-key-dialog"),
  edit: () => import("./edit-key-dialog"),
  revoke: () => import("./revoke-key-dialog"),
  remove: () => import("./delete-key-dialog"),
};

let started = false;

/** Starts loading every dialog's code; only the first call does anything. */
export function preloadKeyDialogs(): void {
  if (started) return;
  started = true;
  for (const load of Object.values(dialogLoaders)) void load().catch(() => {});
}
