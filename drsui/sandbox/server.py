import socket
import threading

from django.core.servers.basehttp import WSGIServer

_serving = threading.local()


def current_connection() -> socket.socket | None:
    """The client socket of the request this thread is serving, under a NoDelay server."""
    return getattr(_serving, "connection", None)


class NoDelay:
    """Django's development servers without Nagle's algorithm on their connections.

    They write a response's headers and body in separate sends; with Nagle the body waits for
    the client to acknowledge the headers, which a client delays by ~40 ms. A fake DRS that
    takes 44 ms to answer anything would not be faithful.

    Each request thread also knows its connection (current_connection), so that the sandbox's
    dropped-connection fault can close it: these servers keep an HTTP/1.1 connection open for
    the next request, where a response never written would look like a hang."""

    def get_request(self):
        conn, address = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, address

    def finish_request(self, request, client_address):
        _serving.connection = request
        try:
            super().finish_request(request, client_address)
        finally:
            _serving.connection = None


class NoDelayWSGIServer(NoDelay, WSGIServer):
    pass
