// The README's pictures must load on the extension's details page (issue 16 item 9). vsce rewrites
// a relative image path to the GitHub repository named in package.json when it packages, and it
// refuses SVG images from anywhere but a few badge services; so every image is a PNG, JPEG or GIF
// that exists in the repository under docs/images, named relatively, with a GitHub repository.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  repository?: { url?: string };
};

function imagesOf(markdown: string): string[] {
  const markdownImages = [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1] ?? '');
  const htmlImages = [...markdown.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? '');
  return [...markdownImages, ...htmlImages];
}

describe('README images on the details page', () => {
  const images = imagesOf(readme);

  it('there are pictures to check', () => {
    assert.ok(images.length >= 10, `found ${images.length}`);
  });

  it('each is a PNG, JPEG or GIF in docs/images, named relatively, and the file exists', () => {
    for (const image of images) {
      assert.match(image, /^docs\/images\/[\w.-]+\.(png|jpe?g|gif)$/, image);
      assert.ok(existsSync(join(root, image)), `${image} exists`);
    }
  });

  it('package.json names a GitHub repository, which vsce uses to make the paths absolute', () => {
    assert.match(
      manifest.repository?.url ?? '',
      /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+(\.git)?$/,
    );
  });

  it('the check itself catches an SVG, an absolute path and a missing file', () => {
    const bad = imagesOf('![a](media/icon.svg) ![b](/abs.png) <img src="docs/images/none.png">');
    assert.deepEqual(bad, ['media/icon.svg', '/abs.png', 'docs/images/none.png']);
    assert.doesNotMatch(bad[0] ?? '', /^docs\/images\/[\w.-]+\.(png|jpe?g|gif)$/);
    assert.doesNotMatch(bad[1] ?? '', /^docs\/images\/[\w.-]+\.(png|jpe?g|gif)$/);
    assert.equal(existsSync(join(root, bad[2] ?? '')), false);
  });
});
