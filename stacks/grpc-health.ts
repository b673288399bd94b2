// A gRPC health check that needs only BusyBox (sh, printf, sleep, nc, od, tr, grep): the
// temporalio/server image is Alpine plus temporal-server, with no grpc-health-probe and no
// `temporal` CLI. The command writes one HTTP/2 (prior knowledge, h2c) request for
// grpc.health.v1.Health/Check to the frontend and looks for the SERVING answer, so the container is
// healthy only when the frontend says so (NOT_SERVING until membership is ready), not when the
// port merely opens. Checked by hand with BusyBox against a Temporal 1.31 frontend: SERVING exits 0,
// an unknown service or a closed port exits 1. test/unit/grpc-health.test.ts runs the command's printf
// and its od | tr | grep against the answers of a real HTTP/2 server, for every serving status.
import { WORKFLOW_SERVICE } from '../src/model/temporal-api.js';

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const FRAME = { data: 0x0, headers: 0x1, settings: 0x4 } as const;
const FLAG = { endStream: 0x1, endHeaders: 0x4 } as const;

/** A short string as HPACK and protobuf both encode it: length byte, then the bytes. */
function lengthPrefixed(text: string): number[] {
  const bytes = [...Buffer.from(text, 'latin1')];
  if (bytes.length > 127) throw new Error(`"${text}" is too long for a one-byte length`);
  return [bytes.length, ...bytes];
}

function frame(type: number, flags: number, stream: number, payload: number[]): number[] {
  const n = payload.length;
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, type, flags, 0, 0, 0, stream, ...payload];
}

/** The bytes of the request: preface, empty SETTINGS, HEADERS and DATA on stream 1. */
export function healthRequestBytes(service: string = WORKFLOW_SERVICE): number[] {
  const headerBlock = [
    0x83, // :method POST (HPACK static table index 3)
    0x86, // :scheme http (index 6)
    0x04,
    ...lengthPrefixed('/grpc.health.v1.Health/Check'), // :path, literal value, not indexed
    0x01,
    ...lengthPrefixed('localhost'), // :authority
    0x0f,
    0x10,
    ...lengthPrefixed('application/grpc'), // content-type (index 31)
    0x00,
    ...lengthPrefixed('te'),
    ...lengthPrefixed('trailers'),
  ];
  const message = service === '' ? [] : [0x0a, ...lengthPrefixed(service)]; // HealthCheckRequest.service
  const grpcMessage = [0x00, 0, 0, 0, message.length, ...message]; // uncompressed, 4-byte length
  return [
    ...Buffer.from(PREFACE, 'latin1'),
    ...frame(FRAME.settings, 0, 0, []),
    ...frame(FRAME.headers, FLAG.endHeaders, 1, headerBlock),
    ...frame(FRAME.data, FLAG.endStream, 1, grpcMessage),
  ];
}

/** The response message HealthCheckResponse{status: SERVING} as hex: gRPC prefix 00 00000002, then 08 01. */
export const SERVING_HEX = '00000000020801';

/** The shell command for a Docker CMD-SHELL healthcheck; exits 0 only on SERVING. */
export function grpcHealthCommand(host: string, port: number, service: string = WORKFLOW_SERVICE): string {
  const octal = healthRequestBytes(service)
    .map((b) => `\\${b.toString(8).padStart(3, '0')}`)
    .join('');
  // sleep keeps nc's stdin open long enough to read the answer; nc exits when stdin ends.
  return `(printf '${octal}'; sleep 1) | nc ${host} ${port} | od -An -tx1 | tr -d ' \\n' | grep -q ${SERVING_HEX}`;
}
