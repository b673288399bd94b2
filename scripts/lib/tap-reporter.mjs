// node's TAP reporter plus a `# file: PATH` comment before each result line, so the closing
// summary can say which file a slow test is in: node's TAP gives a test's location only when it
// fails. The path is relative to the working directory (the checkout, in scripts/test-all).
//   node --test --test-reporter=./scripts/lib/tap-reporter.mjs --test-reporter-destination=FILE ...
import { relative } from 'node:path';
import { tap } from 'node:test/reporters';

async function* withFiles(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.file) {
      const file = relative(process.cwd(), event.data.file);
      yield { type: 'test:diagnostic', data: { nesting: event.data.nesting, message: `file: ${file}`, file: event.data.file } };
    }
    yield event;
  }
}

export default (source) => tap(withFiles(source));
