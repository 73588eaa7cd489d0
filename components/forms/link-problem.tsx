import type { ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/**
 * The page a one-time link shows when it cannot be used (incomplete, invalid, expired): what
 * happened as the heading, what to do as the description, and the way on (a link) below.
 */
export function LinkProblem({ title, text, next }: { title: string; text: string; next?: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>{title}</h1>
        </CardTitle>
        <CardDescription>{text}</CardDescription>
      </CardHeader>
      {next ? <CardContent className="text-center text-sm text-muted-foreground">{next}</CardContent> : null}
    </Card>
  );
}
