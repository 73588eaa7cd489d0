import fs from "node:fs";
import path from "node:path";
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/**
 * Where the e2e pass spends its time: after the run, the slowest spec files (the sum of their
 * tests' durations, and the span from their first test's start to their last one's end) and the
 * slowest tests, printed and written to e2e/.artifacts/durations-<port>.json. The suite has a time
 * budget (README → Tests); this is what a cut is chosen from.
 */
type FileTime = { file: string; tests: number; testSeconds: number; firstStart: number; lastEnd: number };

export default class DurationsReporter implements Reporter {
  private readonly files = new Map<string, FileTime>();
  private readonly tests: { title: string; seconds: number }[] = [];
  private readonly failures: string[] = [];
  private started = Date.now();

  onBegin(): void {
    this.started = Date.now();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const file = path.relative(process.cwd(), test.location.file);
    const start = result.startTime.getTime();
    const entry = this.files.get(file) ?? { file, tests: 0, testSeconds: 0, firstStart: start, lastEnd: start };
    entry.tests += 1;
    entry.testSeconds += result.duration / 1000;
    entry.firstStart = Math.min(entry.firstStart, start);
    entry.lastEnd = Math.max(entry.lastEnd, start + result.duration);
    this.files.set(file, entry);
    const title = `${file} › ${test.titlePath().slice(2).join(" › ")}`;
    this.tests.push({ title, seconds: result.duration / 1000 });
    if (result.status !== "passed" && result.status !== "skipped") {
      const first = (result.errors[0]?.message ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").filter(Boolean).slice(0, 3).join(" / ");
      this.failures.push(`  ${result.status.toUpperCase()} ${title}${first ? `\n      ${first.slice(0, 400)}` : ""}`);
    }
  }

  onEnd(result: FullResult): void {
    if (this.tests.length === 0) return; // --list, or nothing ran
    const files = [...this.files.values()].sort((a, b) => b.testSeconds - a.testSeconds);
    const tests = this.tests.sort((a, b) => b.seconds - a.seconds);
    const total = files.reduce((sum, f) => sum + f.testSeconds, 0);
    const wall = (Date.now() - this.started) / 1000;
    const lines = [
      `\nTime by spec file (${result.status}; ${wall.toFixed(0)} s wall clock, ${total.toFixed(0)} s in tests across workers):`,
      ...files.slice(0, 25).map((f) => `  ${f.testSeconds.toFixed(1).padStart(7)} s in ${String(f.tests).padStart(3)} tests (span ${((f.lastEnd - f.firstStart) / 1000).toFixed(0)} s)  ${f.file}`),
      "Slowest tests:",
      ...tests.slice(0, 15).map((t) => `  ${t.seconds.toFixed(1).padStart(7)} s  ${t.title}`),
    ];
    // Last, so that a log cut to its tail still says what failed and why.
    if (this.failures.length > 0) lines.push(`Failed (${this.failures.length}):`, ...this.failures);
    console.log(lines.join("\n"));
    const out = `e2e/.artifacts/durations-${process.env.E2E_PORT ?? "3210"}.json`;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ wallSeconds: wall, files, tests }, null, 2));
  }

  printsToStdio(): boolean {
    return true;
  }
}
