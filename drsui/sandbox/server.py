import socket

from django.core.servers.basehttp import WSGIServer


class NoDelay:
    """Django's development servers without Nagle's algorithm on their connections.

    They write a response's headers and body in separate sends; with Nagle the body waits for
    the client to acknowledge the headers, which a client delays by ~40 ms. A fake DRS that
    takes 44 ms to answer anything would not be faithful."""

    def get_request(self):
        conn, address = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, address


class NoDelayWSGIServer(NoDelay, WSGIServer):
    pass
