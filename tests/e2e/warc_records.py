"""WARC/1.1 response records for the end-to-end tests' hand-made pages (xss_pages.py and the
export and score tests): an HTML body wrapped in an HTTP 200 response and a WARC record."""


def response_record(n, uri, html):
    """Record number `n` (its WARC-Record-ID) for `uri`, `html` bytes as a UTF-8 HTML response."""
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
            + str(len(html)).encode() + b"\r\n\r\n" + html)
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
            f"WARC-Date: 2026-11-26T00:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"
