// The ambiguous or malformed requests of issue 16, as raw bytes. Each hides
// a second request (a sign-in attempt) where a server or proxy that reads
// the framing differently would see one. "refused": answered 400 and nothing
// passed on; otherwise the requests (method, path, body) that must reach the
// app, one for each the client sent, and no other.

export const SMUGGLED_EMAIL = "smuggled@example.org";
const signIn = JSON.stringify({ email: SMUGGLED_EMAIL, password: "wrong-password-1" });
export const SMUGGLED =
  `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\nContent-Length: ${signIn.length}\r\n\r\n` + signIn;

/** A chunked body of `data`, in chunks of `size`. */
export function chunked(data: string, size = 16): string {
  let out = "";
  for (let i = 0; i < data.length; i += size) {
    const part = data.slice(i, i + size);
    out += `${part.length.toString(16)}\r\n${part}\r\n`;
  }
  return out + "0\r\n\r\n";
}

export type AmbiguousRequest = { name: string; bytes: string; expect: "refused" | string[] };

const head = (method: string, target: string, headers: string, version = "1.1") => `${method} ${target} HTTP/${version}\r\nHost: app\r\n${headers}\r\n`;

export const AMBIGUOUS_REQUESTS: AmbiguousRequest[] = [
  { name: "Transfer-Encoding and Content-Length", bytes: head("POST", "/a", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + chunked(SMUGGLED), expect: "refused" },
  { name: "Content-Length first, then Transfer-Encoding", bytes: head("POST", "/a", "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n") + chunked(SMUGGLED), expect: "refused" },
  ...["gzip, chunked", "Chunked", "identity", "chunked, chunked", "x-custom"].map((te) => ({
    name: `Transfer-Encoding: ${te}`,
    bytes: head("POST", "/a", `Transfer-Encoding: ${te}\r\n`) + chunked(SMUGGLED),
    expect: "refused" as const,
  })),
  { name: "two Transfer-Encoding headers", bytes: head("POST", "/a", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + chunked(SMUGGLED), expect: "refused" },
  { name: "Transfer-Encoding in HTTP/1.0", bytes: head("POST", "/a", "Transfer-Encoding: chunked\r\n", "1.0") + chunked(SMUGGLED), expect: "refused" },
  { name: "two equal Content-Length headers", bytes: head("POST", "/a", "Content-Length: 5\r\nContent-Length: 5\r\n") + "hello" + SMUGGLED, expect: "refused" },
  { name: "two different Content-Length headers", bytes: head("POST", "/a", "Content-Length: 0\r\nContent-Length: 5\r\n") + "hello" + SMUGGLED, expect: "refused" },
  { name: "obs-fold header line", bytes: head("POST", "/a", "Content-Length: 0\r\nX-Fold: a\r\n b\r\n") + SMUGGLED, expect: "refused" },
  { name: "obs-fold of Transfer-Encoding", bytes: head("POST", "/a", "X-A: b\r\nTransfer-Encoding:\r\n chunked\r\n") + chunked(SMUGGLED), expect: "refused" },
  { name: "bare LF line ends", bytes: `GET /a HTTP/1.1\nHost: app\n\n${SMUGGLED}`, expect: "refused" },
  { name: "bare LF in one header", bytes: `POST /a HTTP/1.1\r\nHost: app\nContent-Length: 0\r\n\r\n${SMUGGLED}`, expect: "refused" },
  { name: "bare LF in a chunk size line", bytes: head("POST", "/a", "Transfer-Encoding: chunked\r\n") + `${SMUGGLED.length.toString(16)}\n${SMUGGLED}\r\n0\r\n\r\n`, expect: "refused" },
  ...["GET", "HEAD", "DELETE", "OPTIONS"].map((method) => ({
    name: `chunked ${method}`,
    bytes: head(method, "/a", "Transfer-Encoding: chunked\r\n") + chunked(SMUGGLED),
    expect: "refused" as const,
  })),
  { name: "GET with a Content-Length body", bytes: head("GET", "/a", `Content-Length: ${SMUGGLED.length}\r\n`) + SMUGGLED, expect: "refused" },
  { name: "absolute URI in the request line", bytes: head("GET", "http://evil.example/imports", "Connection: close\r\n"), expect: "refused" },
  { name: "a target starting with //", bytes: head("GET", "//evil.example/imports", "Connection: close\r\n"), expect: "refused" },
  { name: "asterisk target", bytes: head("OPTIONS", "*", "Connection: close\r\n"), expect: "refused" },
  {
    name: "pipelined requests",
    bytes: head("GET", "/p1", "") + head("POST", "/p2", "Content-Length: 5\r\n") + "hello" + head("GET", "/p3", "Connection: close\r\n"),
    expect: ["GET /p1 ", "POST /p2 hello", "GET /p3 "],
  },
  {
    name: "a chunked POST whose body holds a request",
    bytes: head("POST", "/c", "Transfer-Encoding: chunked\r\nConnection: close\r\n") + chunked(SMUGGLED),
    expect: [`POST /c ${SMUGGLED}`],
  },
  {
    name: "a POST whose declared body holds a request",
    bytes: head("POST", "/d", `Content-Length: ${SMUGGLED.length}\r\nConnection: close\r\n`) + SMUGGLED,
    expect: [`POST /d ${SMUGGLED}`],
  },
];
