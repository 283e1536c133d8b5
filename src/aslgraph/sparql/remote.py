"""Client queries answered by a remote SPARQL store (decision 0016).

The engine's checks come first, as for the embedded store (:func:`aslgraph.sparql.engine.prepare`:
the guard, the protocol dataset, negotiation, the cache); then the query is forwarded over the
SPARQL 1.1 Protocol with its dataset made explicit (the knowledge graph's graphs, or the
client's own dataset, or the query's FROM clauses), and the answer, parsed by pyoxigraph, is
written by the same :meth:`~aslgraph.sparql.worker.Evaluator.write` the workers use: the same
formats, bytes, row and byte caps as the embedded store's answers.

The time budget holds: past ``query_timeout`` the client gets the same 503 as for a slow query
(the request to the store is abandoned: its thread ends when the store answers or its socket
times out, at most one budget later). A store that cannot be reached gives 503
``store-unavailable``. No client query runs in the server process: the store evaluates it.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.namespaces import PREFIXES
from aslgraph.remote.client import (
    AnswerTooLargeError,
    StoreRefusedError,
    StoreTimeoutError,
)
from aslgraph.remote.client import (
    StoreUnavailableError as StoreDownError,
)
from aslgraph.remote.store import (
    ACCEPT,
    N_TRIPLES,
    RESULTS_JSON,
    QueryFailedError,
    RemoteStore,
    parse_answer,
)
from aslgraph.sparql import guard
from aslgraph.sparql.errors import (
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
)
from aslgraph.sparql.worker import Evaluator, QueryJob, QueryReply

ACCEPTS = {
    "select": RESULTS_JSON,
    "ask": RESULTS_JSON,
    "construct": N_TRIPLES,
    "describe": N_TRIPLES,
}
"""What the store is asked for, by query form (Virtuoso answers a CONSTRUCT in SPARQL JSON
when that is preferred)."""


class RemoteQueries:
    """Forwards checked query jobs to ``store``, at most ``store_connections`` at once."""

    def __init__(self, store: RemoteStore, settings: Settings):
        self.store = store
        self.settings = settings
        self._executor = ThreadPoolExecutor(
            max_workers=max(1, settings.store_connections), thread_name_prefix="aslgraph-store"
        )
        # the writer never queries its store: it only writes answers within the caps
        self._writer = Evaluator(
            ox.Store(),
            max_rows=settings.max_result_rows,
            max_bytes=settings.max_response_bytes,
            prefixes=PREFIXES,
        )

    def check(self, query: str, form: str | None) -> None:
        """Refuse what the guard lets through but the store must not see: a text that does
        not start like a SPARQL 1.1 query (an engine's pragmas, such as Virtuoso's ``DEFINE``)
        and a call of the engine's own functions (its dialect's ``extensions``). Raises
        QuerySyntaxError and QueryRefusedError (both 400)."""
        if form is None:
            raise QuerySyntaxError(
                "the query is not valid SPARQL 1.1: after BASE and PREFIX it must start with "
                "SELECT, ASK, CONSTRUCT or DESCRIBE"
            )
        prefixes = tuple(f"{p}:" for p in self.store.client.dialect.extensions)
        if not prefixes:
            return
        if "\\u" in query or "\\U" in query:  # codepoint escapes could spell a function's name
            raise QueryRefusedError(
                "\\u and \\U escapes are refused by this endpoint's store; write the characters"
            )
        for kind, text in guard.tokens(query):
            name = text[1:] if kind == "iri" else text
            if kind in ("name", "iri") and name.lower().startswith(prefixes):
                raise QueryRefusedError(
                    f"{text} is one of the store's own functions, not SPARQL 1.1; this "
                    "endpoint answers standard queries only"
                )

    async def run(self, job: QueryJob, form: str | None) -> tuple[QueryReply, bytes]:
        """The reply and answer to ``job`` (a query of ``form``, as the guard read it). Raises
        QueryTimeoutError past the budget and StoreUnavailableError (503) when the store
        cannot answer."""
        self.check(job.query, form)
        timeout = self.settings.query_timeout
        loop = asyncio.get_running_loop()
        accept = ACCEPTS.get(form or "", ACCEPT)
        future = loop.run_in_executor(self._executor, self._answer, self.store, job, accept)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise QueryTimeoutError(
                f"the store did not answer within {timeout:g} s and the query was abandoned; "
                "narrow it (a more selective pattern, LIMIT) or ask a smaller question"
            ) from None
        except StoreTimeoutError:
            raise QueryTimeoutError(
                f"the store did not answer within {timeout:g} s and the query was abandoned; "
                "narrow it (a more selective pattern, LIMIT) or ask a smaller question"
            ) from None
        except StoreDownError as exc:
            raise StoreUnavailableError(
                f"the knowledge graph's store cannot answer now ({exc}); try again shortly"
            ) from None

    def _answer(self, store: RemoteStore, job: QueryJob, accept: str) -> tuple[QueryReply, bytes]:
        started = time.perf_counter()
        if job.union:
            default, named = store.graphs, store.graphs
        elif job.default is not None or job.named is not None:
            default, named = job.default or (), job.named or ()
        else:  # the query's own FROM and FROM NAMED (the guard let only our graphs through)
            default, named = (), ()
        text = job.query
        if job.base:
            try:  # the protocol's base IRI, written as pyoxigraph writes a valid IRI
                text = f"BASE {ox.NamedNode(job.base)}\n{text}"
            except ValueError:
                return _failed("evaluation", f"the base IRI {job.base!r} is not an IRI")
        try:
            response = store.client.query(
                text,
                accept=accept,
                default=default,
                named=named,
                timeout=self.settings.query_timeout,
                max_bytes=2 * self.settings.max_response_bytes,
            )
            result = parse_answer(response.body, response.content_type, store.client)
        except StoreRefusedError as exc:
            return _failed("syntax", f"the store refused it: {exc.text}")
        except AnswerTooLargeError:
            return _failed("bytes", "bytes")
        except QueryFailedError as exc:
            return _failed("evaluation", str(exc))
        try:  # the answer is parsed as it is written: a store's malformed answer shows here
            reply, body = self._writer.write(result, job)
        except SyntaxError as exc:
            return _failed("evaluation", f"the store's answer could not be read: {exc}")
        finally:
            del result  # pyoxigraph results must be dropped on the thread that made them
        return replace(reply, seconds=round(time.perf_counter() - started, 6)), body

    def close(self) -> None:
        """Let go of the threads (requests under way end on their own)."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def _failed(kind: str, message: str) -> tuple[QueryReply, bytes]:
    return QueryReply(ok=False, error=kind, message=message), b""
