import assert from "node:assert/strict";

/** Every run of `length` characters of `secret`: no output may contain any of them. */
export function fragments(secret: string, length = 8): string[] {
  return Array.from({ length: Math.max(0, secret.length - length + 1) }, (_, i) => secret.slice(i, i + length));
}

/** Fails naming the first fragment of `secret` (8 characters or more) found in `text`. */
export function assertNoFragment(text: string, secret: string, where: string): void {
  const leaked = fragments(secret).find((fragment) => text.includes(fragment));
  assert.equal(leaked, undefined, `${where} carries a fragment of the secret: ${leaked}`);
}
