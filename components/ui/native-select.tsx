import * as React from "react";

import { cn } from "@/lib/utils";

const NATIVE_SELECT =
  "h-9 w-full rounded-md border border-input bg-background px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring dark:bg-input/30";

/** The browser's own `<select>`, styled like Input: works without JavaScript and on every phone. */
function NativeSelect({ className, ...props }: React.ComponentProps<"select">) {
  return <select className={cn(NATIVE_SELECT, className)} {...props} />;
}

export { NativeSelect };
