import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../../src/web/redirects';

describe('safeNextPath', () => {
  it.each([
    ['/', '/'],
    ['/p/NEX/board?status=OPEN', '/p/NEX/board?status=OPEN'],
    ['/p/NEX/t/42#comments', '/p/NEX/t/42#comments'],
    ['/a/../b', '/b'],
  ])('keeps the same-origin path %s', (value, expected) => {
    expect(safeNextPath(value, '/home')).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/..//evil.example',
    '/.//evil.example',
    '/a/..//evil.example/x',
    '/%2e%2e//evil.example',
    'javascript:alert(1)',
    '/\tevil',
    '',
    `/${'x'.repeat(2001)}`,
  ])('refuses %s', (v) => {
    expect(safeNextPath(v, '/home')).toBe('/home');
  });
});
