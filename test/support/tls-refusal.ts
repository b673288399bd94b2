/**
 * How the Python SDK (rustls) reports a server that requires a client certificate it did not send.
 * Under TLS 1.3 the client has finished its handshake when the server's alert arrives, so it reads the
 * alert, or finds the connection closed, reset or the pipe broken first (each seen here, directly and
 * through Docker's port proxy).
 */
export const MTLS_REFUSED =
  /Failed client connect: .*(received fatal alert: CertificateRequired|connection closed|broken pipe|reset by peer)/i;
