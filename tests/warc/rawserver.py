"""A raw-socket HTTP server on 127.0.0.1 that answers with exact, scripted bytes, and keeps every request
exactly as it arrived: what the wire-capture tests compare the WARC records with.

Written for these tests (no third-party text). Each response is a list of (pause in seconds, bytes)
pieces, so a test can send odd reason phrases, mixed-case and repeated fields, bare-LF line endings,
chunk extensions and trailers, an interim 100, a close-delimited HTTP/1.0 body, or a slow page.
"""
from __future__ import annotations

import socket
import ssl
import threading
import time
from dataclasses import dataclass

def page(path: str) -> bytes:
    """A page of its own for each path (equal bodies would become revisits)."""
    return (b"<!doctype html><html><head><meta charset=utf-8><title>Raw wire page %s</title></head><body>"
            b"<h1>Every byte of this head was chosen by the test</h1><p>A loopback page for the wire-capture "
            b"tests, written for them.</p></body></html>" % path.encode())


def head(status_line: bytes, *fields: bytes, eol: bytes = b"\r\n") -> bytes:
    return status_line + eol + b"".join(field + eol for field in fields) + eol


def chunked(body: bytes, size: int, extension: bytes = b"") -> bytes:
    pieces = [body[start:start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x%s\r\n%s\r\n" % (len(piece), extension, piece) for piece in pieces)


SLOW_HEAD_DELAY = 1.0  # before the head of /slow
SLOW_BODY_DELAY = 1.0  # between the two halves of its body


def _responses() -> dict[str, tuple[list[tuple[float, bytes]], bool, bytes]]:
    """path -> (pieces to send, close after them, the head its WARC response record must hold)."""
    def length(path):
        return b"Content-Length: %d" % len(page(path))

    odd = head(b"HTTP/1.1 200 Fine Thanks", b"Server: rawwire/0.1", b"ETag: \"a1\"",
               b"WWW-Authenticate: Basic realm=\"loopback\"", b"X-Repeat: one", b"x-REPEAT: two",
               b"Content-Type: text/html; charset=utf-8", b"Connection: keep-alive", b"Keep-Alive: timeout=5, max=100",
               length("/odd"), b"X-Late: after the length")
    whatever = head(b"HTTP/1.1 299 Whatever", b"content-type: text/html", length("/whatever"))
    lf = head(b"HTTP/1.1 200 OK", b"Content-Type: text/html", b"X-Folded: first part", b"  continued here",
              b"This line has no colon", length("/lf"), eol=b"\n")
    chunked_head = head(b"HTTP/1.1 200 OK", b"Content-Type: text/html", b"Transfer-Encoding: chunked",
                        b"Trailer: X-Checksum")
    chunked_stored = head(b"HTTP/1.1 200 OK", b"Content-Type: text/html", b"X-Archive-Orig-Transfer-Encoding: chunked",
                          b"Trailer: X-Checksum", b"X-Archive-Trailer-X-Checksum: sha1-of-nothing-in-particular")
    http10 = head(b"HTTP/1.0 200 OK", b"Content-Type: text/html", b"X-Framing: the close ends the body")
    interim = head(b"HTTP/1.1 200 OK", b"Content-Type: text/html", length("/interim"))
    slow = head(b"HTTP/1.1 200 OK", b"Content-Type: text/html", length("/slow"))
    return {
        "/odd": ([(0, odd + page("/odd"))], False, odd),
        "/whatever": ([(0, whatever + page("/whatever"))], False, whatever),
        "/lf": ([(0, lf + page("/lf"))], False, lf),
        "/chunked": ([(0, chunked_head + chunked(page("/chunked"), 50, b";name=value;x=\"quoted\"")
                       + b"0;last=yes\r\nX-Checksum: sha1-of-nothing-in-particular\r\n\r\n")], False, chunked_stored),
        "/http10": ([(0, http10 + page("/http10"))], True, http10),
        "/interim": ([(0, head(b"HTTP/1.1 100 Continue")), (0.05, interim + page("/interim"))], False, interim),
        "/slow": ([(SLOW_HEAD_DELAY, slow + page("/slow")[:100]), (SLOW_BODY_DELAY, page("/slow")[100:])], False, slow),
    }


RESPONSES = _responses()


@dataclass
class Received:
    path: str
    raw: bytes  # the request exactly as it arrived: head and body
    at: float  # time.time() once the whole request had arrived
    connection: int  # which connection it came on
    answered_at: float = 0.0  # time.time() once the last byte of the answer was sent


def self_signed_context(directory) -> ssl.SSLContext:
    """A server TLS context with a throwaway self-signed certificate for 127.0.0.1 (Scrapy does not verify)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


class RawServer:
    """Serves RESPONSES on 127.0.0.1 (ephemeral port), HTTP/1.1 keep-alive; use as a context manager.

    With a TLS `context`, over HTTPS: the bytes compared are the plaintext inside the TLS session.
    """

    def __init__(self, context: ssl.SSLContext | None = None):
        self.context = context
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return "%s://127.0.0.1:%d" % ("https" if self.context else "http", self.sock.getsockname()[1])

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self._connections += 1
                number = self._connections
            threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn: socket.socket, number: int) -> None:
        conn.settimeout(10)
        buffer = b""
        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                end = buffer.index(b"\r\n\r\n") + 4
                request_head = buffer[:end]
                length = 0
                for line in request_head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                while len(buffer) < end + length:
                    buffer += conn.recv(65536)
                raw, buffer = buffer[:end + length], buffer[end + length:]
                path = raw.split(b" ", 2)[1].decode("ascii")
                received = Received(path, raw, time.time(), number)
                with self._lock:
                    self.received.append(received)
                pieces, close, _ = RESPONSES.get(path, ([(0, head(b"HTTP/1.1 404 Not Found", b"Content-Length: 0"))],
                                                       False, b""))
                for pause, data in pieces:
                    time.sleep(pause)
                    conn.sendall(data)
                received.answered_at = time.time()
                if close:
                    return
        except OSError:
            return
        finally:
            conn.close()

    def requests_for(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]
