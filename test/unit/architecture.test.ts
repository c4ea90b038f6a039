// The architecture's boundaries are enforced by lint; these tests prove the lint rules bite.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId?.endsWith('no-restricted-imports'))
    .map((message) => message.message);
}

describe('architecture boundaries (lint)', { timeout: 60_000 }, () => {
  it('fails when anything under src/core imports vscode', async () => {
    const errors = await restrictedImportErrors(
      'src/core/productInfo.ts',
      "import * as vscode from 'vscode';\nexport const x = vscode.version;\n",
    );
    assert.ok(
      errors.some((message) => message.includes('VS Code API')),
      errors.join('\n'),
    );
  });

  it('fails when the webview imports Node built-ins or host layers', async () => {
    const nodeErrors = await restrictedImportErrors(
      'webview-ui/src/main.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    assert.ok(nodeErrors.length > 0, 'node:fs in the webview is reported');
    const layerErrors = await restrictedImportErrors(
      'webview-ui/src/main.ts',
      "import { PRODUCT_NAME } from '../../src/core/productInfo';\nexport const x = PRODUCT_NAME;\n",
    );
    assert.ok(layerErrors.length > 0, 'core in the webview is reported');
  });

  it('allows vscode in the VS Code layer', async () => {
    const errors = await restrictedImportErrors(
      'src/vscode/extension.ts',
      "import * as vscode from 'vscode';\nexport const x = vscode.version;\n",
    );
    assert.deepEqual(errors, []);
  });
});
