/**
 * A form's refusal, announced as it appears (role="alert"). The text is in the foreground colour on
 * a red tint: red text on that tint falls short of 4.5:1 contrast in the light theme.
 */
export function FormAlert({ children, className = "" }: { children: React.ReactNode; className?: string }) {
  return (
    <p role="alert" className={`rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm text-foreground ${className}`.trim()}>
      {children}
    </p>
  );
}
