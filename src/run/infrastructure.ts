/**
 * Registry, DNS and network failures while an image is pulled or built or dependencies are
 * installed: the infrastructure's, not the project's. Such a check is `error` (nothing was
 * proven), never `failed`.
 */
const INFRASTRUCTURE: RegExp[] = [
  /\bno such host\b/i,
  /\bdial tcp\b/i,
  /\bTLS handshake timeout\b/i,
  /\bi\/o timeout\b/i,
  /Temporary failure in name resolution|Could not resolve host|Name or service not known|getaddrinfo (?:EAI_AGAIN|ENOTFOUND)|\bEAI_AGAIN\b/i,
  /\b(?:ECONNRESET|ETIMEDOUT|ECONNREFUSED|ENETUNREACH)\b|Network is unreachable|Connection reset by peer/i,
  /\b429 Too Many Requests\b|toomanyrequests|\brate limit(?:ed)?\b.*\bregistry\b/i,
  /\b401 Unauthorized\b|pull access denied|unauthorized: authentication required/i,
  /failed to (?:fetch|resolve|do request).*(?:registry|manifest|oauth|token)|failed to resolve source metadata/i,
  /ReadTimeoutError|ConnectTimeoutError|Max retries exceeded with url|Failed to establish a new connection/i,
  /npm (?:error|ERR!) (?:code|errno) (?:ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|ECONNREFUSED)/i,
];

/** Only the end of the output decides: a retried download earlier on is no verdict. */
const LAST_LINES = 30;

/** The line naming the infrastructure failure at the end of the output, or null when it shows none. */
export function infrastructureFailure(output: string): string | null {
  for (const line of output.split(/\r?\n/).filter((l) => l.trim() !== "").slice(-LAST_LINES).reverse()) {
    if (INFRASTRUCTURE.some((pattern) => pattern.test(line))) return line.trim().slice(0, 300);
  }
  return null;
}
