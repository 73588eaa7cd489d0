"use client";

import { useEffect, type RefObject } from "react";

const FOCUSABLE = "input:not([type=hidden]), select, textarea, button, [tabindex]";

/**
 * After the server answers with field errors, focus the first field in error (in the form's
 * order), so a keyboard or screen-reader user lands on what to fix rather than on the dialog.
 */
export function useFocusFirstError(form: RefObject<HTMLFormElement | null>, fieldErrors: Record<string, unknown> | undefined) {
  useEffect(() => {
    if (!fieldErrors || Object.keys(fieldErrors).length === 0) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = invalid?.matches(FOCUSABLE) ? invalid : invalid?.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
  }, [form, fieldErrors]);
}
