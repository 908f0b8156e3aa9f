// The public API reports: API Extractor reads the built declarations of each package entry point and
// writes etc/<entry>.api.md. `npm run api` (run by `npm test`'s pretest) fails when a report differs
// from the committed one, so a change to the public surface shows in review; `npm run api:update`
// accepts the change by rewriting the reports. Needs the build (dist/) first.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const update = process.argv.includes('--update');

/** Entry point → its built declarations (package.json "exports"). */
const ENTRIES = {
  kapri: 'dist/src/index.d.ts',
  'kapri-runtime': 'dist/src/runtime/index.d.ts',
  'kapri-kernels': 'dist/src/kernels/index.d.ts',
};

const configFor = (name, entry) =>
  ExtractorConfig.prepare({
    configObjectFullPath: join(root, 'etc', `${name}.api-extractor.json`),
    packageJsonFullPath: join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: join(root, entry),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2022', 'DOM', 'DOM.Iterable'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          include: [entry],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder: join(root, 'etc'),
        reportTempFolder: join(root, 'temp', 'api'),
        // A type a public function names but the entry does not export is part of the surface too.
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // Release tags (@public/@beta) and TSDoc syntax are not this project's conventions.
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          'ae-unresolved-link': { logLevel: 'none' },
          // Fields of option objects are named for what they hold; functions carry doc comments.
          'ae-undocumented': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  });

mkdirSync(join(root, 'temp', 'api'), { recursive: true });
mkdirSync(join(root, 'etc'), { recursive: true });
let failed = false;
for (const [name, entry] of Object.entries(ENTRIES)) {
  const result = Extractor.invoke(configFor(name, entry), {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (m) => {
      // The TypeScript version API Extractor bundles differs from the project's; that note is noise.
      if (m.messageId === 'console-compiler-version-notice') m.handled = true;
      else if (m.logLevel === 'info' || m.logLevel === 'verbose') m.handled = true;
    },
  });
  if (result.apiReportChanged && !update) {
    console.error(
      `kapri: the public API of '${entry}' changed: compare etc/${name}.api.md with temp/api/${name}.api.md, ` +
        'and if the change is meant, run `npm run api:update` and commit the report.',
    );
    failed = true;
  } else if (!result.succeeded) {
    console.error(`kapri: API Extractor reported ${result.errorCount} errors for '${entry}'.`);
    failed = true;
  } else {
    console.log(`kapri: API report etc/${name}.api.md ${result.apiReportChanged ? 'updated' : 'unchanged'}`);
  }
}
process.exit(failed ? 1 : 0);
