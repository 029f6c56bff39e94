import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
import { allContainers, allTables } from '../../shared/storage';

/**
 * Every table and container is named by the catalogue (shared/storage) and every row goes through its entry:
 * outside infra/storage, no code that touches storage spells a table or container name, and none calls the
 * TableStore's row methods itself (a row read by hand is the silent cast the catalogue replaces).
 */
const root = join(__dirname, '..', '..');
const scanned = ['infra', 'hosts/local/demo', 'bench'];
const exempt = (file: string) => file.startsWith('infra/storage/');

function sourceFiles(): string[] {
  return scanned
    .flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) =>
        join(root, dir, file),
      ),
    )
    .filter((file) => file.endsWith('.ts') && !exempt(relative(root, file)));
}

const catalogueNames = new Set([...allTables, ...allContainers].map((entry) => entry.name));

describe('the storage catalogue is the only place', () => {
  let checker: ts.TypeChecker;
  let files: ts.SourceFile[];
  beforeAll(() => {
    const paths = sourceFiles();
    const program = ts.createProgram(paths, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    });
    checker = program.getTypeChecker();
    files = program.getSourceFiles().filter((file) => paths.includes(file.fileName));
    expect(files.length).toBeGreaterThan(50);
  }, 60_000);

  test('that names a table or a container', () => {
    const found: string[] = [];
    for (const file of files) {
      const visit = (node: ts.Node): void => {
        if (
          (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
          catalogueNames.has(node.text)
        )
          found.push(`${relative(root, file.fileName)}: '${node.text}'`);
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    expect(found).toEqual([]);
  });

  test('that turns rows into entities and back', () => {
    const rowMethods = new Set(['get', 'query', 'insert', 'upsert', 'update', 'delete']);
    const found: string[] = [];
    for (const file of files) {
      const visit = (node: ts.Node): void => {
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          rowMethods.has(node.expression.name.text) &&
          checker.getTypeAtLocation(node.expression.expression).getSymbol()?.getName() === 'TableStore'
        ) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart());
          found.push(`${relative(root, file.fileName)}:${line + 1}: ${node.expression.getText()}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    expect(found).toEqual([]);
  });
});
