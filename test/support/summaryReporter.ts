/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after vitest's own
 * summary, so that any tool reading the end of the log finds the counts in a fixed form. A project
 * that was not run at all (the browser project without Chromium) counts one skipped per test file
 * and is named on the line, so that "0 skipped" never hides it.
 */
import type { Reporter, TestModule } from 'vitest/node';

export interface SkippedProject {
  readonly name: string;
  readonly files: number;
  readonly reason: string;
}

export default class SummaryReporter implements Reporter {
  private readonly skippedProjects: readonly SkippedProject[];

  constructor(options: { skippedProjects?: readonly SkippedProject[] } = {}) {
    this.skippedProjects = options.skippedProjects ?? [];
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++; // a file that failed to load
    }
    for (const p of this.skippedProjects) skipped += p.files;
    const notRun = this.skippedProjects
      .map((p) => `; not run: the ${p.name} project (${p.files} test files): ${p.reason}`)
      .join('');
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped${notRun}\n`);
  }
}
