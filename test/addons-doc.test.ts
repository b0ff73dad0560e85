import * as fs from 'fs';
import * as path from 'path';
import { renderAddonsDoc } from '../lib/addons/doc';
import { ADDONS } from '../lib/addons/registry';

const DOC = path.join(__dirname, '..', 'docs', 'addons.md');

test('docs/addons.md is generated from the catalogue (ADDONS_DOC_WRITE=1 npx jest test/addons-doc.test.ts to rewrite it)', () => {
  const rendered = renderAddonsDoc();
  if (process.env.ADDONS_DOC_WRITE === '1') fs.writeFileSync(DOC, rendered);
  expect(fs.readFileSync(DOC, 'utf8')).toBe(rendered);
});

test('docs/addons.md lists every add-on and version', () => {
  const doc = renderAddonsDoc();
  for (const a of ADDONS) {
    expect(doc).toContain(`## ${a.id}`);
    for (const v of a.versions.filter(x => x !== 'managed')) expect(doc).toContain(`\`${v}\``);
  }
});
