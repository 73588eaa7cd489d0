"use client";

import { CheckIcon, CopyIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * Writes text to the clipboard. Where the Clipboard API is missing (plain-http origins other than
 * localhost, older browsers) it falls back to execCommand("copy") with a one-off `copy` listener
 * that puts the text on the clipboard itself. That needs no selection, so it also works inside a
 * modal dialog, whose focus trap would snatch focus from a hidden textarea (which made the old
 * fallback report "Copied" while copying nothing). Success is reported only if our listener ran.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied or not focused: try the fallback below.
  }
  let written = false;
  const onCopy = (event: ClipboardEvent) => {
    if (!event.clipboardData) return;
    event.clipboardData.setData("text/plain", text);
    event.preventDefault();
    written = true;
  };
  document.addEventListener("copy", onCopy, true);
  try {
    return document.execCommand("copy") && written;
  } catch {
    return false;
  } finally {
    document.removeEventListener("copy", onCopy, true);
  }
}

export function CopyButton({
  text,
  label,
  onCopied,
  ...props
}: { text: string; label: string; onCopied?: () => void } & Omit<React.ComponentProps<typeof Button>, "onClick">) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <Button
      type="button"
      variant="outline"
      aria-label={state === "copied" ? `${label}: copied` : label}
      onClick={async () => {
        const ok = await copyText(text);
        setState(ok ? "copied" : "failed");
        if (ok) onCopied?.();
      }}
      {...props}
    >
      {state === "copied" ? <CheckIcon aria-hidden /> : <CopyIcon aria-hidden />}
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy manually" : "Copy"}
      <span role="status" className="sr-only">
        {state === "copied" ? "Copied to clipboard" : state === "failed" ? "Copy failed: select the text and copy it manually" : ""}
      </span>
    </Button>
  );
}
