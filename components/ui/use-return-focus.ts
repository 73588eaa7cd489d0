"use client";

import { useCallback, useRef } from "react";

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Focus back to what opened a dialog, for dialogs opened from state rather than by a Trigger
 * (Radix then returns focus to whatever had it when the dialog mounted: often a menu item that
 * is gone by then, so focus fell to the page's body). Call `remember()` as the dialog is opened;
 * pass `onCloseAutoFocus` to its content. A menu item counts as its menu's trigger button. If the
 * opener is gone when the dialog closes, focus goes to the same control drawn anew (a button
 * with the same name: the first key moves "Create" from the empty state to the header), else to
 * the first control left in the opener's group or row, else to the page's <main> (its row was deleted).
 */
export function useReturnFocus() {
  const opener = useRef<{ el: HTMLElement | null; scope: HTMLElement | null }>({ el: null, scope: null });

  const remember = useCallback(() => {
    let el = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const menu = el?.closest<HTMLElement>('[role="menu"]');
    if (menu?.id) el = document.querySelector<HTMLElement>(`[aria-controls="${CSS.escape(menu.id)}"]`) ?? el;
    if (el === document.body) el = null;
    const scope = el?.parentElement?.closest<HTMLElement>('[role="group"], [role="region"], [data-key-id]') ?? null;
    opener.current = { el, scope };
  }, []);

  const onCloseAutoFocus = useCallback((event: Event) => {
    const { el, scope } = opener.current;
    const target =
      (el?.isConnected ? el : null) ??
      (el ? redrawn(el) : null) ??
      (scope?.isConnected ? scope.querySelector<HTMLElement>(FOCUSABLE) : null) ??
      document.querySelector<HTMLElement>("main");
    if (!target) return;
    event.preventDefault();
    target.focus();
  }, []);

  return { remember, onCloseAutoFocus };
}

/** A connected element of the same kind with the same name as `gone`, if there is exactly one. */
function redrawn(gone: HTMLElement): HTMLElement | null {
  const name = (e: Element) => e.getAttribute("aria-label") ?? e.textContent?.trim() ?? "";
  const same = [...document.querySelectorAll<HTMLElement>(gone.tagName)].filter((e) => name(e) === name(gone) && name(e) !== "");
  return same.length === 1 ? same[0]! : null;
}
