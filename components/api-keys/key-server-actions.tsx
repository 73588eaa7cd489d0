"use client";

import { useMemo } from "react";
import {
  createApiKeyAction,
  deleteApiKeyAction,
  revokeApiKeyAction,
  rotateApiKeyAction,
  updateApiKeyAction,
  type CreatedKey,
} from "@/app/(dashboard)/settings/api-keys/actions";
import {
  createTeamApiKeyAction,
  deleteTeamApiKeyAction,
  revokeTeamApiKeyAction,
  rotateTeamApiKeyAction,
  updateTeamApiKeyAction,
} from "@/app/(dashboard)/t/[slug]/settings/api-keys/actions";
import { requestTeamKeyAction, type RequestedKey } from "@/app/(dashboard)/t/[slug]/settings/requests/actions";
import type { ActionState } from "@/lib/action-state";
import { useKeyScope } from "./key-scope";

// Imported by the dialogs only (loaded when one opens), so no page's first load carries the ten
// action references; the scope itself (key-scope.tsx) is all the list needs.

/** The server actions the dialogs call, for the scope they are in. */
export type KeyServerActions = {
  create: (prev: ActionState<CreatedKey>, form: FormData) => Promise<ActionState<CreatedKey>>;
  update: (id: string, prev: ActionState, form: FormData) => Promise<ActionState>;
  rotate: (id: string, grace: string) => Promise<ActionState<CreatedKey>>;
  revoke: (id: string) => Promise<ActionState>;
  remove: (id: string) => Promise<ActionState>;
  /** A team key the team's policy puts behind approval: asked for, not created (teams only). */
  request?: (prev: ActionState<RequestedKey>, form: FormData) => Promise<ActionState<RequestedKey>>;
};

const PERSONAL: KeyServerActions = {
  create: createApiKeyAction,
  update: updateApiKeyAction,
  rotate: rotateApiKeyAction,
  revoke: revokeApiKeyAction,
  remove: deleteApiKeyAction,
};

export function useKeyServerActions(): KeyServerActions {
  const { teamSlug } = useKeyScope();
  return useMemo(
    () =>
      teamSlug === undefined
        ? PERSONAL
        : {
            create: (prev, form) => createTeamApiKeyAction(teamSlug, prev, form),
            update: (id, prev, form) => updateTeamApiKeyAction(teamSlug, id, prev, form),
            rotate: (id, grace) => rotateTeamApiKeyAction(teamSlug, id, grace),
            revoke: (id) => revokeTeamApiKeyAction(teamSlug, id),
            remove: (id) => deleteTeamApiKeyAction(teamSlug, id),
            request: (prev, form) => requestTeamKeyAction(teamSlug, prev, form),
          },
    [teamSlug],
  );
}
