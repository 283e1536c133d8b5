"""A remote SPARQL store behind the store interface (decision 0016).

:mod:`~aslgraph.remote.client` speaks the SPARQL 1.1 Protocol and the Graph Store Protocol over
HTTP (the standard library only); :mod:`~aslgraph.remote.dialect` is the one place where what
differs per engine is decided; :mod:`~aslgraph.remote.marker` reads and writes the version
marker that says what a store holds; :mod:`~aslgraph.remote.load` pushes the files into a store
(``aslgraph load --store``); :mod:`~aslgraph.remote.store` is :class:`RemoteStore`, the
:class:`~aslgraph.store.KnowledgeGraph` the services read.
"""
