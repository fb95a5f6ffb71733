"""WireCaptureDownloadHandler: Scrapy's HTTP/1.1 handler, recording each exchange's bytes as they go
over the connection (docs/architecture.md, "WARC conventions").

Scrapy hands its components a parsed response: the reason phrase, header-name case and order,
repeated fields, `Connection`/`Keep-Alive`/`Transfer-Encoding` and the exact request are gone by then
(FACTS.md). This handler is Scrapy's own (`scrapy.core.downloader.handlers.http11`), with its
connection pool building a client protocol that also records, for every exchange on a keep-alive
connection:

- the request exactly as written to the connection (request line, header block, body), and the
  time it was handed over: the exchange's WARC-Date;
- the peer's IP address;
- the status line and header block of the response exactly as received (interim 1xx heads apart),
  and the trailer lines of a chunked body.

Scrapy's parsing still does the crawl's work: the body, the headers the middlewares see and every
error are Scrapy's. Only the head is copied (the body is not held twice), so the cost is a few
hundred bytes per response. The capture goes to `request.meta[meta.WIRE_EXCHANGE]` (a
`warc.wire.WireExchange`) for the WARC recorder, which takes it off again.

Capture is on when WARC_ENABLED is; off, this is Scrapy's handler unchanged. It leans on private
parts of Scrapy 2.19 and Twisted (`_ScrapyAgent`, `_LenientHTTP11ClientProtocol`); if they move,
capture turns itself off with a warning and the recorder stores the decoded form of each head
(warc/http.py), so a Scrapy upgrade degrades the archive's fidelity, never the crawl.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from scrapy.core.downloader.handlers import http11
from scrapy.utils.defer import maybe_deferred_to_future

from newsarchive.base import meta
from newsarchive.warc.wire import WireExchange

logger = logging.getLogger(__name__)

# The attribute a Twisted response carries its exchange under, from the protocol to the agent.
_EXCHANGE_ATTRIBUTE = "_newsarchive_wire_exchange"


def _scrapy_internals_present() -> bool:
    """Whether the private Scrapy/Twisted parts this handler builds on are where 2.19 keeps them."""
    protocol = getattr(http11, "_LenientHTTP11ClientProtocol", None)
    return (
        getattr(http11, "_ScrapyAgent", None) is not None
        and getattr(http11, "_LenientHTTP11ClientFactory", None) is not None
        and protocol is not None
        and all(hasattr(protocol, name) for name in ("request", "dataReceived", "_finishResponse_WAITING"))
    )


class _RecordingTransport:
    """The connection's transport as the client protocol writes one request through it: every byte
    is appended to the exchange, then passed on. Everything else is the real transport's."""

    def __init__(self, transport: Any, exchange: WireExchange):
        self._transport = transport
        self._exchange = exchange

    def write(self, data: bytes) -> None:
        self._exchange.request += data
        self._transport.write(data)

    def writeSequence(self, data) -> None:
        data = list(data)
        for piece in data:
            self._exchange.request += piece
        self._transport.writeSequence(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


if _scrapy_internals_present():

    class WireRecordingProtocol(http11._LenientHTTP11ClientProtocol):
        """Scrapy's HTTP/1.1 client protocol, recording each exchange's request and response head."""

        _exchange: WireExchange | None = None

        def request(self, request):
            exchange = WireExchange(sent_at=time.time(), peer=self._peer_address())
            self._exchange = exchange
            real = self.transport
            # Twisted writes the request (and later its body) through the transport it finds here;
            # the parser and Scrapy reach the real one through the wrapper's attributes.
            self.transport = _RecordingTransport(real, exchange)
            try:
                finished = super().request(request)
            finally:
                self.transport = real

            def attach(response):
                setattr(response, _EXCHANGE_ATTRIBUTE, exchange)
                return response

            finished.addCallback(attach)
            return finished

        def dataReceived(self, data: bytes) -> None:
            if self._exchange is not None:
                self._exchange.received(data)
            super().dataReceived(data)

        def _finishResponse_WAITING(self, rest: bytes) -> None:
            # The parser is about to go: the chunked decoder holds the trailer lines it read.
            decoder = getattr(self._parser, "bodyDecoder", None)
            trailers = getattr(decoder, "_trailerHeaders", None)
            if self._exchange is not None and trailers:
                self._exchange.trailers = [bytes(line) for line in trailers]
            self._exchange = None
            super()._finishResponse_WAITING(rest)

        _finishResponse_TRANSMITTING = _finishResponse_WAITING

        def _peer_address(self) -> str | None:
            try:
                return str(self.transport.getPeer().host)
            except AttributeError:
                return None

    class WireRecordingClientFactory(http11._LenientHTTP11ClientFactory):
        def buildProtocol(self, addr):
            return WireRecordingProtocol(self._quiescentCallback)

    class WireRecordingAgent(http11._ScrapyAgent):
        """Scrapy's agent for one request; keeps the exchange the protocol attached to the response."""

        exchange: WireExchange | None = None

        def _cb_bodydone(self, result, url):
            self.exchange = getattr(result["txresponse"], _EXCHANGE_ATTRIBUTE, None)
            return super()._cb_bodydone(result, url)

else:  # pragma: no cover - only on a Scrapy whose internals moved
    WireRecordingClientFactory = WireRecordingAgent = None


class WireCaptureDownloadHandler(http11.HTTP11DownloadHandler):
    """DOWNLOAD_HANDLERS entry for http and https (settings.py, fetch stage)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.capture = crawler.settings.getbool("WARC_ENABLED")
        if self.capture and WireRecordingAgent is None:
            logger.warning("wire capture is off: this Scrapy (%s) keeps its HTTP/1.1 client elsewhere; WARC "
                           "records get rebuilt HTTP heads", getattr(http11, "__name__", "?"))
            self.capture = False
        if self.capture:
            self._pool._factory = WireRecordingClientFactory

    async def download_request(self, request):
        if not self.capture:
            return await super().download_request(request)
        # HTTP11DownloadHandler.download_request of Scrapy 2.19, with the recording agent.
        agent = WireRecordingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=getattr(self._crawler.spider, "download_maxsize", self._default_maxsize),
            warnsize=getattr(self._crawler.spider, "download_warnsize", self._default_warnsize),
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with http11.wrap_twisted_exceptions():
                response = await maybe_deferred_to_future(agent.download_request(request))
        except http11.ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(http11.get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
        if agent.exchange is not None and agent.exchange.complete:
            request.meta[meta.WIRE_EXCHANGE] = agent.exchange
        else:
            request.meta.pop(meta.WIRE_EXCHANGE, None)  # meta travels along redirects and retries
        return response
