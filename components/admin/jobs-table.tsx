import { DateTime } from "@/components/layout/date-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { JobListRow } from "@/db/queries/jobs";
import { JOB_STATUS_LABELS, jobKindLabel, type JobStatus } from "@/lib/jobs/labels";

const STATUS_VARIANT: Record<JobStatus, "secondary" | "outline" | "success" | "destructive"> = {
  queued: "outline",
  running: "secondary",
  succeeded: "success",
  failed: "destructive",
};

/** When a job ran or will run, in words: "Next attempt …" while it waits, "Finished …" after. */
function When({ job, timeZone }: { job: JobListRow; timeZone: string }) {
  if (job.finishedAt) {
    return (
      <>
        Finished <DateTime date={job.finishedAt} timeZone={timeZone} withTime />
      </>
    );
  }
  if (job.status === "running") {
    return (
      <>
        Started <DateTime date={job.updatedAt} timeZone={timeZone} withTime />
      </>
    );
  }
  return (
    <>
      {job.attempts === 0 ? "Runs" : "Next attempt"} <DateTime date={job.runAt} timeZone={timeZone} withTime />
    </>
  );
}

function Status({ job }: { job: JobListRow }) {
  return <Badge variant={STATUS_VARIANT[job.status]}>{JOB_STATUS_LABELS[job.status]}</Badge>;
}

function Attempts({ job }: { job: JobListRow }) {
  return (
    <>
      {job.attempts} of {job.maxAttempts}
    </>
  );
}

/**
 * Background jobs, newest first: what each does in words, its status, its attempts, when it runs
 * or finished (the viewer's time zone) and the last error, as plain text. A table from md up, one
 * card per job on phones.
 */
export function JobsTable({ rows, timeZone }: { rows: JobListRow[]; timeZone: string }) {
  return (
    <>
      <div className="hidden md:block">
        <Table aria-label="Background jobs">
          <TableHeader>
            <TableRow>
              <TableHead>Job</TableHead>
              <TableHead className="w-28">Status</TableHead>
              <TableHead className="w-24">Attempts</TableHead>
              <TableHead className="w-56">When</TableHead>
              <TableHead>Last error</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((job) => (
              <TableRow key={job.id} data-job-status={job.status}>
                <TableCell className="align-top text-sm [overflow-wrap:anywhere] whitespace-normal">
                  <div className="font-medium">{jobKindLabel(job.kind)}</div>
                  <div className="text-xs text-muted-foreground">
                    Queued <DateTime date={job.createdAt} timeZone={timeZone} withTime />
                  </div>
                </TableCell>
                <TableCell className="align-top">
                  <Status job={job} />
                </TableCell>
                <TableCell className="align-top text-sm">
                  <Attempts job={job} />
                </TableCell>
                <TableCell className="align-top text-sm">
                  <When job={job} timeZone={timeZone} />
                </TableCell>
                <TableCell className="align-top text-xs [overflow-wrap:anywhere] whitespace-normal text-muted-foreground">{job.lastError ?? "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <ol aria-label="Background jobs" className="grid gap-3 md:hidden">
        {rows.map((job) => (
          <li key={job.id} data-job-status={job.status} className="grid gap-1 rounded-lg border p-3 text-sm">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium [overflow-wrap:anywhere]">{jobKindLabel(job.kind)}</span>
              <Status job={job} />
            </div>
            <div className="text-xs text-muted-foreground">
              Attempts: <Attempts job={job} /> · <When job={job} timeZone={timeZone} />
            </div>
            {job.lastError && <div className="text-xs [overflow-wrap:anywhere] text-muted-foreground">Last error: {job.lastError}</div>}
          </li>
        ))}
      </ol>
    </>
  );
}
