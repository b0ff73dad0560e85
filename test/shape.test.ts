/**
 * The shape of lib/: small files, one concept each, and layers that only reach down.
 *   rules/    pure rule functions: import nothing of lib but other rules (and no CDK)
 *   private/  helpers: rules, errors and other private files only (no constructs, no k8s/, no cluster)
 */
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

const files = sources(LIB);
const rel = (f: string) => path.relative(LIB, f).split(path.sep).join('/');

/** lib-relative targets of the relative imports of a file */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import[^'"]*from '([^']+)'/gm), ...text.matchAll(/require\('([^']+)'\)/g)].map(m => m[1]);
}

test('there are sources to check', () => {
  expect(files.length).toBeGreaterThan(30);
});

test.each(files.map(rel))('%s stays under 400 lines', f => {
  const lines = fs.readFileSync(path.join(LIB, f), 'utf8').split('\n').length;
  expect(lines).toBeLessThanOrEqual(400);
});

test.each(files.map(rel).filter(f => f.startsWith('rules/')))('%s is pure: no CDK, no constructs, nothing of lib beyond rules', f => {
  for (const target of imports(path.join(LIB, f))) {
    expect(target).not.toMatch(/^aws-cdk-lib|^constructs$|^cdk8s/);
    if (target.startsWith('.')) expect(rel(path.resolve(path.dirname(path.join(LIB, f)), target))).toMatch(/^rules\//);
  }
});

test.each(files.map(rel).filter(f => f.startsWith('private/')))('%s reaches only down (rules, errors, private)', f => {
  for (const target of imports(path.join(LIB, f)).filter(t => t.startsWith('.'))) {
    expect(rel(path.resolve(path.dirname(path.join(LIB, f)), target))).toMatch(/^(rules\/|private\/|errors$|model\/)/);
  }
});

test('nothing the package ships speaks of our internal working documents', () => {
  const shipped = [...files, path.join(__dirname, '..', 'README.md'),
    ...fs.readdirSync(path.join(__dirname, '..', 'docs')).map(f => path.join(__dirname, '..', 'docs', f))];
  const offenders = shipped.filter(f => /(^|[^/])RULES\.md|DESIGN\.md|\.\.\/shared\/|\b[Ss]eed \d{3}\b/.test(fs.readFileSync(f, 'utf8')));
  expect(offenders.map(f => path.relative(path.join(__dirname, '..'), f))).toEqual([]);
});
