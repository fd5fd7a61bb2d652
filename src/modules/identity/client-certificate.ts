import { createHash, X509Certificate } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';

/**
 * The x5t#S256 thumbprint (RFC 8705: base64url SHA-256 of the DER) of the client certificate a trusted reverse proxy
 * verified and passed in the TLS_CLIENT_CERT_HEADER header (PEM, URL-encoded as nginx's $ssl_client_escaped_cert).
 * Null when the option is off, the header is absent or it holds no parsable certificate.
 */
export function presentedCertificateThumbprint(services: Services, request: FastifyRequest): string | null {
  const header = services.config.tlsClientCertHeader;
  if (!header) return null;
  const raw = request.headers[header];
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 20_000) return null;
  try {
    const pem = raw.includes('%') ? decodeURIComponent(raw) : raw;
    return certificateThumbprint(pem);
  } catch {
    return null;
  }
}

/** x5t#S256 of a PEM certificate; throws on anything that is not one. */
export function certificateThumbprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');
}
